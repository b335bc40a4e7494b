package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import com.messagingconnectors.config.kinds.TeamsKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * teams-sender as a whole: delivery-core's engine with the TeamsChannel on a real broker, WireMock as Microsoft.
 * A notification on notifications.teams becomes a card in the channel; a deleted channel is dead-lettered and the
 * integration reported unhealthy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.teams.client-id=client-1",
        "connectors.teams.client-secret=secret-1",
        "connectors.delivery.schedule=0ms,200ms",
        "connectors.delivery.jitter=0",
        "connectors.delivery.topic-partitions=3",
        "connectors.delivery.shutdown-timeout=2s"})
class TeamsSenderTest {
    static final ObjectMapper JSON = Json.MAPPER;
    static final SecretBox SECRETS = SecretBox.fromConfig("t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null);
    static final WireMockServer microsoft = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
    static volatile boolean reading = true;
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
        // production's policy (no local mode, no allow-list) with WireMock's port allowed: a Workflows URL on WireMock
        // is stopped by the address check alone
        registry.add("connectors.ssrf.allowed-ports", () -> Integer.toString(microsoft.port()));
    }

    @BeforeAll
    static void start() {
        TestInfrastructure.createTopics(3, "connectors.config", "connectors.status");
        producer = new KafkaProducer<>(TestInfrastructure.producerProperties());
        serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()), false);
        Thread.ofPlatform().daemon().start(TeamsSenderTest::read);
        microsoft.stubFor(post(urlPathMatching("/login/.*/oauth2/v2.0/token")).willReturn(okJson(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"at-1\"}")));
        microsoft.stubFor(post(urlPathMatching("/graph/v1.0/teams/team-1/channels/ok-.*/messages"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"1\"}")));
        microsoft.stubFor(post(urlPathMatching("/graph/v1.0/teams/team-1/channels/gone-.*/messages"))
                .willReturn(aResponse().withStatus(404).withBody("{\"error\":{\"code\":\"NotFound\",\"message\":\"Channel not found\"}}")));
    }

    @AfterAll
    static void stop() {
        reading = false;
        producer.close();
        microsoft.stop();
    }

    @Test
    void aNotificationArrivesAsAnAdaptiveCardInTheChannel() throws Exception {
        String channelId = "ok-" + UUID.randomUUID();
        IntegrationConfig integration = integration(channelId);
        Notification notification = send(integration, channelId, "alert.triggered");

        String path = "/graph/v1.0/teams/team-1/channels/" + channelId + "/messages";
        await().atMost(Duration.ofSeconds(60)).until(() -> !microsoft.findAll(postRequestedFor(urlPathEqualTo(path))).isEmpty());
        JsonNode message = JSON.readTree(microsoft.findAll(postRequestedFor(urlPathEqualTo(path))).getFirst().getBodyAsString());
        JsonNode card = JSON.readTree(message.at("/attachments/0/content").asString(""));
        assertThat(card.toString()).contains("Alert: Error rate", notification.getEvent().getSummary());
    }

    @Test
    void aDigestArrivesAsOneSummaryCard() throws Exception {
        String channelId = "ok-" + UUID.randomUUID();
        IntegrationConfig integration = integration(channelId);
        PlatformEvent latest = PlatformEvent.newBuilder(Events.samples().get("sync.failed"))
                .setWorkspaceId(integration.workspaceId()).build();
        String destinationId = integration.destinationId(channelId);
        Notification digest = Notification.newBuilder()
                .setNotificationId(NotificationIds.of("digest:" + UUID.randomUUID(), destinationId)).setChannel("teams")
                .setDestination(new Destination(destinationId, integration.id(), channelId))
                .setRoutedAt(Instant.now()).setEvent(latest)
                .setDigest(Events.digest(12, List.of("Salesforce EU: token expired", "Salesforce EU: <b>429</b>")))
                .build();
        producer.send(new ProducerRecord<>(Topics.notifications("teams"), destinationId,
                serializer.serialize(Topics.notifications("teams"), digest))).get();

        String path = "/graph/v1.0/teams/team-1/channels/" + channelId + "/messages";
        await().atMost(Duration.ofSeconds(60)).until(() -> !microsoft.findAll(postRequestedFor(urlPathEqualTo(path))).isEmpty());
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1);
        JsonNode message = JSON.readTree(microsoft.findAll(postRequestedFor(urlPathEqualTo(path))).getFirst().getBodyAsString());
        JsonNode card = JSON.readTree(message.at("/attachments/0/content").asString(""));
        assertThat(AdaptiveCardFormatterTest.texts(card)).containsSubsequence(
                "sync.failed × 12 for Salesforce EU in the last 5 min", "• Salesforce EU: token expired",
                "• Salesforce EU: \\<b\\>429\\</b\\>", "and 10 more");
    }

    @Test
    void aDeletedChannelIsDeadLetteredAndTheIntegrationReportedUnhealthy() throws Exception {
        String channelId = "gone-" + UUID.randomUUID();
        IntegrationConfig integration = integration(channelId);
        Notification notification = send(integration, channelId, "sync.failed");
        String key = notification.getDestination().getDestinationId();

        await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream()
                .anyMatch(r -> r.topic().equals(Topics.deadLetter("teams")) && key.equals(r.key())));
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
                .filter(r -> r.topic().equals(Topics.CONNECTORS_STATUS) && integration.id().equals(r.key()))
                .map(r -> decode(r.value())).anyMatch(s -> StatusReport.UNHEALTHY.equals(s.state())
                        && s.message() != null && s.message().contains("pick another channel")));
        // one attempt: a permanent answer is not retried
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo("/graph/v1.0/teams/team-1/channels/" + channelId
                + "/messages")))).hasSize(1);
    }

    @Test
    void aWorkflowsUrlResolvingToLoopbackIsDeadLetteredWithoutARequest() throws Exception {
        microsoft.stubFor(post(urlPathEqualTo("/workflows/internal")).willReturn(aResponse().withStatus(202)));
        IntegrationConfig integration = workflowIntegration("http://localhost:" + microsoft.port()
                + "/workflows/internal?sig=s3cr3t");
        Notification notification = send(integration, "workflow", "alert.triggered");
        String key = notification.getDestination().getDestinationId();

        await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream()
                .anyMatch(r -> r.topic().equals(Topics.deadLetter("teams")) && key.equals(r.key())));
        ConsumerRecord<String, byte[]> deadLetter = seen.stream()
                .filter(r -> r.topic().equals(Topics.deadLetter("teams")) && key.equals(r.key())).findFirst().orElseThrow();
        String reason = new String(deadLetter.headers().lastHeader(DeliveryHeaders.EXCEPTION_MESSAGE).value(),
                StandardCharsets.UTF_8);
        assertThat(reason).contains("refusing to call localhost", "non-public address (loopback)")
                .doesNotContain("127.0.0.1").doesNotContain("s3cr3t");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
                .filter(r -> r.topic().equals(Topics.CONNECTORS_STATUS) && integration.id().equals(r.key()))
                .map(r -> decode(r.value())).anyMatch(s -> StatusReport.UNHEALTHY.equals(s.state())
                        && s.message() != null && s.message().contains("set a new Workflows URL")));
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo("/workflows/internal")))).isEmpty();
    }

    private IntegrationConfig integration(String channelId) {
        String id = "int-" + UUID.randomUUID();
        EncryptedSecret refresh = SECRETS.seal("rt-" + id, SecretPurposes.credential("ws-teams", id,
                TeamsKind.REFRESH_TOKEN));
        return save(id, channelId, Map.of(TeamsKind.REFRESH_TOKEN, refresh),
                Map.of("tenant_id", "tenant-1", "mode", "graph"));
    }

    private IntegrationConfig workflowIntegration(String workflowUrl) {
        String id = "int-" + UUID.randomUUID();
        EncryptedSecret url = SECRETS.seal(workflowUrl, SecretPurposes.credential("ws-teams", id,
                TeamsKind.WORKFLOW_URL));
        return save(id, "workflow", Map.of(TeamsKind.WORKFLOW_URL, url), Map.of("mode", "workflow"));
    }

    private IntegrationConfig save(String id, String channelId, Map<String, EncryptedSecret> credentials,
                                   Map<String, String> properties) {
        String ws = "ws-teams";
        ChannelConfig channel = new TeamsChannelConfig(channelId, "#general", "team-1");
        IntegrationConfig config = new IntegrationConfig(id, ws, IntegrationKind.teams, "Teams", true,
                Map.of("alert.triggered", true, "sync.failed", true), channelId, List.of(channel), List.of(),
                credentials, properties, 1, Instant.now(), Instant.now());
        producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString(), ConfigCodec.encode(config)));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> configView.integration(ws, id).isPresent());
        return config;
    }

    private Notification send(IntegrationConfig integration, String channelId, String type) throws Exception {
        PlatformEvent sample = Events.samples().get(type);
        PlatformEvent event = PlatformEvent.newBuilder(sample).setEventId(UUID.randomUUID().toString())
                .setWorkspaceId(integration.workspaceId()).setSummary("summary " + UUID.randomUUID()).build();
        String destinationId = integration.destinationId(channelId);
        Notification notification = Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), destinationId)).setChannel("teams")
                .setDestination(new Destination(destinationId, integration.id(), channelId))
                .setRoutedAt(Instant.now()).setEvent(event).build();
        producer.send(new ProducerRecord<>(Topics.notifications("teams"), destinationId,
                serializer.serialize(Topics.notifications("teams"), notification))).get();
        return notification;
    }

    private static StatusReport decode(byte[] value) {
        try {
            return ConfigCodec.decode(value, StatusReport.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void read() {
        Properties properties = TestInfrastructure.consumerProperties();
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(Topics.deadLetter("teams"), Topics.CONNECTORS_STATUS));
            while (reading) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
    }
}
