package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resolved alert in Teams, through teams-sender as deployed on the real broker with WireMock on loopback as
 * Microsoft Graph: the resolution is a reply to the alert's message (the id Graph gave it), a redelivery does not
 * reply twice, and an alert nobody knows is resolved with a message of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.teams.client-id=client-1",
        "connectors.teams.client-secret=secret-1",
        "connectors.delivery.schedule=0ms,200ms",
        "connectors.delivery.jitter=0",
        "connectors.delivery.topic-partitions=3",
        "connectors.delivery.shutdown-timeout=2s"})
class TeamsAlertResolutionTest {
    static final ObjectMapper JSON = Json.MAPPER;
    static final SecretBox SECRETS = SecretBox.fromConfig("t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null);
    static final WireMockServer microsoft = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static KafkaProducer<String, byte[]> producer;
    static AvroSerializer<Notification> serializer;

    @Autowired
    ConfigView configView;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        microsoft.start();
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.teams.authority-base-url", () -> microsoft.baseUrl() + "/login");
        registry.add("connectors.teams.graph-base-url", () -> microsoft.baseUrl() + "/graph");
    }

    @BeforeAll
    static void start() {
        TestInfrastructure.createTopics(3, "connectors.config", "connectors.status");
        producer = new KafkaProducer<>(TestInfrastructure.producerProperties());
        serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()), false);
        microsoft.stubFor(post(urlPathMatching("/login/.*/oauth2/v2.0/token")).willReturn(okJson(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"at-1\"}")));
        microsoft.stubFor(post(urlPathMatching("/graph/v1.0/teams/team-1/channels/[^/]+/messages/[^/]+/replies"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"reply-1\"}")));
    }

    @AfterAll
    static void stop() {
        producer.close();
        microsoft.stop();
    }

    @Test
    void theResolutionIsAReplyToTheAlertsMessageAndARedeliveryDoesNotReplyTwice() throws Exception {
        String channelId = "alerts-" + UUID.randomUUID();
        String messagePath = "/graph/v1.0/teams/team-1/channels/" + channelId + "/messages";
        microsoft.stubFor(post(urlPathEqualTo(messagePath))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"1700000000001\"}")));
        IntegrationConfig integration = integration(channelId);

        send(notification(integration, channelId, triggered(integration, "al_cpu")));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(messagePath) == 1);
        Notification resolution = notification(integration, channelId, resolved(integration, "al_cpu"));
        send(resolution);
        String repliesPath = messagePath + "/1700000000001/replies";
        await().atMost(Duration.ofSeconds(60)).until(() -> count(repliesPath) == 1);

        JsonNode reply = JSON.readTree(microsoft.findAll(postRequestedFor(urlPathEqualTo(repliesPath))).getFirst()
                .getBodyAsString());
        String card = reply.at("/attachments/0/content").asString("");
        assertThat(card).contains("Resolved: CPU", "CPU back to normal", "\"style\":\"good\"");

        // the same notification again, then another alert behind it in the same lane
        send(resolution);
        send(notification(integration, channelId, triggered(integration, "al_disk")));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(messagePath) == 2);
        assertThat(count(repliesPath)).isEqualTo(1);
    }

    @Test
    void aResolutionOfAnUnknownAlertIsAMessageOfItsOwn() throws Exception {
        String channelId = "alerts-" + UUID.randomUUID();
        String messagePath = "/graph/v1.0/teams/team-1/channels/" + channelId + "/messages";
        microsoft.stubFor(post(urlPathEqualTo(messagePath))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"1700000000002\"}")));
        IntegrationConfig integration = integration(channelId);

        send(notification(integration, channelId, resolved(integration, "al_never_seen")));

        await().atMost(Duration.ofSeconds(60)).until(() -> count(messagePath) == 1);
        String card = JSON.readTree(microsoft.findAll(postRequestedFor(urlPathEqualTo(messagePath))).getFirst()
                .getBodyAsString()).at("/attachments/0/content").asString("");
        assertThat(card).contains("Resolved: CPU");
        assertThat(microsoft.findAll(postRequestedFor(urlPathMatching(messagePath + "/.*/replies")))).isEmpty();
    }

    private static int count(String path) {
        return microsoft.findAll(postRequestedFor(urlPathEqualTo(path))).size();
    }

    private IntegrationConfig integration(String channelId) {
        String id = "int-" + UUID.randomUUID();
        String ws = "ws-teams";
        EncryptedSecret refresh = SECRETS.seal("rt-" + id, SecretPurposes.credential(ws, id, TeamsKind.REFRESH_TOKEN));
        IntegrationConfig config = new IntegrationConfig(id, ws, IntegrationKind.teams, "Teams", true,
                Map.of("alert.triggered", true, "alert.resolved", true), channelId,
                List.of(new TeamsChannelConfig(channelId, "#alerts", "team-1")), List.of(),
                Map.of(TeamsKind.REFRESH_TOKEN, refresh), Map.of("tenant_id", "tenant-1", "mode", "graph"), 1,
                Instant.now(), Instant.now());
        producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString(), ConfigCodec.encode(config)));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> configView.integration(ws, id).isPresent());
        return config;
    }

    private static PlatformEvent triggered(IntegrationConfig integration, String alertId) {
        return PlatformEvent.newBuilder(Events.event("alert.triggered", Level.alert, "CPU above 90 %",
                        new AlertTriggered(alertId, "CPU", "cpu", ">", 90.0, 97.0)))
                .setWorkspaceId(integration.workspaceId()).build();
    }

    private static PlatformEvent resolved(IntegrationConfig integration, String alertId) {
        return PlatformEvent.newBuilder(Events.event("alert.resolved", Level.info, "CPU back to normal",
                        new AlertResolved(alertId, "CPU", null, 40.0)))
                .setWorkspaceId(integration.workspaceId()).build();
    }

    private static Notification notification(IntegrationConfig integration, String channelId, PlatformEvent event) {
        String destinationId = integration.destinationId(channelId);
        return Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), destinationId)).setChannel("teams")
                .setDestination(new Destination(destinationId, integration.id(), channelId))
                .setRoutedAt(Instant.now()).setEvent(event).build();
    }

    private static void send(Notification notification) throws Exception {
        producer.send(new ProducerRecord<>(Topics.notifications("teams"),
                notification.getDestination().getDestinationId(),
                serializer.serialize(Topics.notifications("teams"), notification))).get();
    }
}
