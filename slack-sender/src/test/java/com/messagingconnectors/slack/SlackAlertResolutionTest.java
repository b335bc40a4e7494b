package com.messagingconnectors.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.alerts.AlertMessages;
import com.messagingconnectors.delivery.engine.DeliveryAutoConfiguration.DeliveryEngines;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.TopicCreation;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts that resolve in place, through slack-sender as deployed (Boot app, delivery-core's engine, the Slack
 * channel) on the real broker, with WireMock on loopback as slack.com: what Slack actually received is asserted.
 */
@SpringBootTest(classes = SlackSenderApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlackAlertResolutionTest {
    static final WireMockServer SLACK = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final String KEYS = "test:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String CHANNEL = "C_alerts";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SLACK.start();
        TestInfrastructure.createTopics(1, "connectors.config", "connectors.status");
        TestInfrastructure.createTopics(2, "notifications.slack");
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.secrets.keys", () -> KEYS);
        registry.add("connectors.slack.api-base-url", SLACK::baseUrl);
        registry.add("server.address", () -> "127.0.0.1");
    }

    @Autowired
    ConfigView senderConfig;
    @Autowired
    DeliveryEngines engines;

    @AfterAll
    static void stop() {
        SLACK.stop();
    }

    @Test
    void theResolutionEditsTheAlertsMessageWithItsTsKeepingItsContent() throws Exception {
        IntegrationConfig slack = integration(Map.of());
        String alertId = "al_" + slack.id();
        String ts = stubPost(alertId);
        SLACK.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL
                + "\",\"ts\":\"" + ts + "\"}")));

        send(notification(slack, triggered(slack, alertId)));
        await().atMost(Duration.ofSeconds(60)).until(() -> posts(alertId).size() == 1);
        send(notification(slack, resolved(slack, alertId)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(updates(ts)).hasSize(1));
        Map<String, String> update = updates(ts).getFirst();
        assertThat(update.get("channel")).isEqualTo(CHANNEL);
        assertThat(update.get("text")).startsWith("✅ Resolved: 🚨 Alert triggered: CPU " + alertId);
        assertThat(update.get("blocks")).contains("✅ Resolved: 🚨 Alert triggered: CPU " + alertId)
                .contains("CPU above 90% on db-1"); // the original summary stays
        assertThat(update.get("attachments")).contains("#2eb886").contains("CPU back to normal");
        // edited, not posted again
        assertThat(posts(alertId)).hasSize(1);
    }

    @Test
    void inThreadModeTheResolutionIsAReplyInTheAlertsThreadAndARedeliveryIsNotPostedTwice() throws Exception {
        IntegrationConfig slack = integration(Map.of("slack_resolved_alerts." + CHANNEL, "thread"));
        String alertId = "al_" + slack.id();
        String ts = stubPost(alertId);

        send(notification(slack, triggered(slack, alertId)));
        await().atMost(Duration.ofSeconds(60)).until(() -> posts(alertId).size() == 1);
        Notification resolution = notification(slack, resolved(slack, alertId));
        send(resolution);
        await().atMost(Duration.ofSeconds(60)).until(() -> replies(ts).size() == 1);

        // the same notification again (a redelivery: same notification id), then a marker behind it in the same lane
        send(resolution);
        Notification marker = notification(slack, triggered(slack, alertId + "_marker"));
        stubPost(alertId + "_marker");
        send(marker);
        await().atMost(Duration.ofSeconds(60)).until(() -> posts(alertId + "_marker").size() == 1);

        assertThat(replies(ts)).hasSize(1);
        assertThat(replies(ts).getFirst().get("text")).contains("Alert resolved").contains("CPU " + alertId);
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/chat.update")).withRequestBody(containing(ts)));
    }

    @Test
    void aResolutionOfAnUnknownAlertIsANewMessage() throws Exception {
        IntegrationConfig slack = integration(Map.of());
        String alertId = "al_unknown_" + slack.id();
        stubPost(alertId);

        send(notification(slack, resolved(slack, alertId)));

        await().atMost(Duration.ofSeconds(60)).until(() -> posts(alertId).size() == 1);
        Map<String, String> post = posts(alertId).getFirst();
        assertThat(post.get("text")).startsWith("✅ Alert resolved: CPU " + alertId);
        assertThat(post).doesNotContainKey("thread_ts");
    }

    /** Another instance (its own channel and store, reading the topic) resolves an alert this one posted. */
    @Test
    void anotherInstanceResolvesAnAlertThisOnePosted() throws Exception {
        IntegrationConfig slack = integration(Map.of());
        String alertId = "al_other_" + slack.id();
        String ts = stubPost(alertId);
        SLACK.stubFor(post("/api/chat.update").withRequestBody(containing(alertId))
                .willReturn(okJson("{\"ok\":true}")));
        send(notification(slack, triggered(slack, alertId)));
        await().atMost(Duration.ofSeconds(60)).until(() -> posts(alertId).size() == 1);

        Properties consumer = TestInfrastructure.consumerProperties();
        consumer.remove("group.id");
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new ByteArraySerializer(),
                new ByteArraySerializer());
             AlertMessages store = new AlertMessages(new KafkaConsumer<>(consumer, new StringDeserializer(),
                     new ByteArrayDeserializer()), Topics.ALERT_MESSAGES, producer,
                     TopicCreation.ALERT_MESSAGES_RETENTION, Clock.systemUTC()).start(Duration.ofSeconds(30))) {
            assertThat(store.isLoaded()).isTrue();
            SlackChannel second = new SlackChannel(SlackSenderConfiguration.slackMethods(SLACK.baseUrl(),
                    Duration.ofSeconds(10)), SlackFixtures.SECRETS);
            second.useAlertMessages(store);
            Notification resolution = notification(slack, resolved(slack, alertId));

            DeliveryOutcome outcome = second.deliver(new DeliveryRequest(resolution, slack,
                    slack.channel(CHANNEL).orElseThrow(), 1, false));

            assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(updates(ts)).hasSize(1);
            assertThat(posts(alertId)).hasSize(1);
        }
    }

    @Test
    void theSenderBecomesReadyWithItsAlertMessagesLoaded() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> engines.engine("slack").readiness().notReadyBecause() == null);
    }

    // ---- helpers

    /** chat.postMessage of messages naming this alert answers with a ts of their own; returns it. */
    private static String stubPost(String alertId) {
        String ts = "1700000000." + String.format("%06d", Math.floorMod(alertId.hashCode(), 1_000_000));
        SLACK.stubFor(post("/api/chat.postMessage").withRequestBody(containing(alertId))
                .willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL + "\",\"ts\":\"" + ts + "\"}")));
        return ts;
    }

    private static List<Map<String, String>> posts(String alertId) {
        return requests("/api/chat.postMessage").stream()
                .filter(f -> f.getOrDefault("text", "").contains(alertId) && !f.containsKey("thread_ts")).toList();
    }

    private static List<Map<String, String>> replies(String ts) {
        return requests("/api/chat.postMessage").stream().filter(f -> ts.equals(f.get("thread_ts"))).toList();
    }

    private static List<Map<String, String>> updates(String ts) {
        return requests("/api/chat.update").stream().filter(f -> ts.equals(f.get("ts"))).toList();
    }

    private static List<Map<String, String>> requests(String path) {
        return SLACK.findAll(postRequestedFor(urlEqualTo(path))).stream().map(SlackAlertResolutionTest::form)
                .toList();
    }

    /** The SDK sends form parameters. */
    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private IntegrationConfig integration(Map<String, String> properties) throws Exception {
        String ws = "ws_" + UUID.randomUUID().toString().substring(0, 8);
        String id = "int_" + UUID.randomUUID().toString().substring(0, 8);
        var props = new HashMap<>(Map.of("slack_team_id", "T1", "scopes", "chat:write"));
        props.putAll(properties);
        IntegrationConfig slack = new IntegrationConfig(id, ws, IntegrationKind.slack, "Slack", true,
                Map.of("alert.triggered", true, "alert.resolved", true), CHANNEL,
                List.of(new SlackChannelConfig(CHANNEL, "#alerts")), List.of(),
                Map.of("bot_token", SlackFixtures.SECRETS.seal("xoxb-" + id,
                        SecretPurposes.credential(ws, id, "bot_token"))), props, 1, Instant.now(), Instant.now());
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("connectors.config",
                    new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString(), ConfigCodec.encode(slack))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> senderConfig.integration(ws, id).isPresent());
        return slack;
    }

    private static PlatformEvent triggered(IntegrationConfig integration, String alertId) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("alert.triggered")
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(Instant.parse("2026-11-27T09:30:00Z"))
                .setLevel(Level.alert).setSummary("CPU above 90% on db-1").setLink(null).setSource("monitoring")
                .setAttributes(Map.of())
                .setPayload(AlertTriggered.newBuilder().setAlertId(alertId).setAlertName("CPU " + alertId)
                        .setMetric("cpu").setComparator(">").setThreshold(90).setValue(97).build())
                .build();
    }

    private static PlatformEvent resolved(IntegrationConfig integration, String alertId) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("alert.resolved")
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(Instant.parse("2026-11-27T09:45:00Z"))
                .setLevel(Level.info).setSummary("CPU back to normal on db-1").setLink(null).setSource("monitoring")
                .setAttributes(Map.of())
                .setPayload(AlertResolved.newBuilder().setAlertId(alertId).setAlertName("CPU " + alertId)
                        .setResolvedAt(null).setValue(41.0).build())
                .build();
    }

    private static Notification notification(IntegrationConfig integration, PlatformEvent event) {
        String destinationId = integration.destinationId(CHANNEL);
        return Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), destinationId)).setChannel("slack")
                .setDestination(Destination.newBuilder().setDestinationId(destinationId)
                        .setIntegrationId(integration.id()).setTarget(CHANNEL).build())
                .setRoutedAt(Instant.now()).setRuleId("alerts").setEvent(event).build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void send(Notification notification) throws Exception {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        try (var producer = new KafkaProducer<String, Notification>(TestInfrastructure.producerProperties(),
                new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>("notifications.slack",
                    notification.getDestination().getDestinationId(), notification)).get();
        }
    }
}
