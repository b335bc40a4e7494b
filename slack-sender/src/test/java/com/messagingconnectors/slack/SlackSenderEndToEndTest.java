package com.messagingconnectors.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * slack-sender as deployed (Boot app + delivery-core's engine + the Slack channel) on a real broker and registry,
 * WireMock as slack.com: the product example "report.completed → #analytics-team" arrives in that channel, and a
 * channel Slack no longer knows dead-letters with the reason and marks the integration unhealthy.
 */
@SpringBootTest(classes = SlackSenderApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlackSenderEndToEndTest {
    static final WireMockServer SLACK = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final String KEYS = "test:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

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

    @org.springframework.beans.factory.annotation.Autowired
    com.messagingconnectors.config.store.ConfigView senderConfig;

    @AfterAll
    static void stop() {
        SLACK.stop();
    }

    @Test
    void reportCompletedArrivesInAnalyticsTeamAndAGoneChannelIsDeadLettered() throws Exception {
        String ws = "ws_" + UUID.randomUUID().toString().substring(0, 8);
        String id = "int_" + UUID.randomUUID().toString().substring(0, 8);
        String token = "xoxb-e2e-" + id;
        IntegrationConfig slack = new IntegrationConfig(id, ws, IntegrationKind.slack, "Slack", true,
                Map.of("report.completed", true), "C_general",
                List.of(new SlackChannelConfig("C_general", "#general"), new SlackChannelConfig("C_analytics", "#analytics-team"),
                        new SlackChannelConfig("C_gone", "#old-project")),
                List.of(new RoutingRule("reports", null, new RuleMatch(List.of("report.completed"), List.of(), List.of()),
                        "C_analytics", false)),
                Map.of("bot_token", SlackFixtures.SECRETS.seal(token, SecretPurposes.credential(ws, id, "bot_token"))),
                Map.of("slack_team_id", "T1", "scopes", "chat:write"), 1, Instant.now(), Instant.now());
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("connectors.config",
                    new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString(), ConfigCodec.encode(slack))).get();
        }
        SLACK.stubFor(post("/api/chat.postMessage").withRequestBody(containing("channel=C_analytics"))
                .willReturn(okJson("{\"ok\":true,\"ts\":\"1.1\"}")));
        SLACK.stubFor(post("/api/chat.postMessage").withRequestBody(containing("channel=C_gone"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));

        var event = SlackFixtures.reportCompleted("Weekly revenue " + id, "Weekly revenue is ready");
        event.setWorkspaceId(ws);
        Notification toAnalytics = notification(slack, "C_analytics", event);
        Notification toGone = notification(slack, "C_gone", event);
        try (var producer = new KafkaProducer<String, Notification>(TestInfrastructure.producerProperties(),
                new StringSerializer(), avroSerializer())) {
            producer.send(new ProducerRecord<>("notifications.slack", toAnalytics.getDestination().getDestinationId(),
                    toAnalytics)).get();
            producer.send(new ProducerRecord<>("notifications.slack", toGone.getDestination().getDestinationId(),
                    toGone)).get();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> SLACK.verify(1,
                postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing("channel=C_analytics"))
                        .withRequestBody(containing("Weekly%20revenue%20" + id))
                        .withHeader("Authorization", containing(token))));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = read("notifications.slack.dlq");
            assertThat(dead).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(toGone.getDestination().getDestinationId());
                assertThat(header(r, "connectors-dlt-reason")).isEqualTo("destination_missing");
            });
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read("connectors.status"))
                .anySatisfy(r -> {
                    StatusReport report = ConfigCodec.decode(r.value(), StatusReport.class);
                    assertThat(report.integrationId()).isEqualTo(id);
                    assertThat(report.state()).isEqualTo(StatusReport.UNHEALTHY);
                    assertThat(report.message()).contains("channel_not_found");
                }));
    }

    /** A digest from the digest stage arrives as one message: headline, listed summaries, "and N more", escaped. */
    @Test
    void aDigestArrivesAsOneSummaryMessage() throws Exception {
        String ws = "ws_" + UUID.randomUUID().toString().substring(0, 8);
        String token = "xoxb-digest-" + ws;
        IntegrationConfig integration = reportsIntegration(ws, token, Map.of());
        publish(integration);
        await().atMost(Duration.ofSeconds(30)).until(() -> senderConfig.integration(ws, integration.id()).isPresent());
        SLACK.stubFor(post("/api/chat.postMessage").withHeader("Authorization", containing(token))
                .atPriority(1).willReturn(okJson("{\"ok\":true,\"ts\":\"2.2\"}")));

        var latest = SlackFixtures.syncFailed("sync.failed × 37 for pg-prod …");
        latest.setWorkspaceId(ws);
        Notification digest = Notification.newBuilder(notification(integration, "C_reports", latest))
                .setDigest(SlackFixtures.digest(37, List.of("pg-prod: connection refused", "pg-prod: <!here> timeout")))
                .build();
        send(digest);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> SLACK.verify(1,
                postRequestedFor(urlEqualTo("/api/chat.postMessage")).withHeader("Authorization", containing(token))));
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : SLACK.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", containing(token))).getFirst().getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        // the blocks as Slack reads them (the client writes & as \u0026 inside JSON strings)
        String blocks = com.messagingconnectors.schemas.json.Json.MAPPER.readTree(form.get("blocks")).toString();
        assertThat(form.get("channel")).isEqualTo("C_reports");
        assertThat(blocks).contains("Sync failed × 37")
                .contains("sync.failed × 37 for pg-prod in the last 5 min")
                .contains("• pg-prod: connection refused")
                .contains("• pg-prod: &lt;!here&gt; timeout")
                .contains("_and 35 more_")
                .contains("https://app.example.com/sources/pg-prod")
                .doesNotContain("<!here>");
        assertThat(form.get("text")).startsWith("sync.failed × 37 for pg-prod in the last 5 min").doesNotContain("<!here>");
    }

    /**
     * The two ways a Slack token dies: integration-service recorded the app as uninstalled (slack_connection=revoked,
     * from Slack's Events API) → the notification is dead-lettered at once with that reason, Slack is not called;
     * Slack answers invalid_auth to a post → dead-lettered (no retries) and the integration reported unhealthy with
     * "reconnect Slack".
     */
    @Test
    void deadTokensDeadLetterAtOnceWithTheReason() throws Exception {
        String ws = "ws_" + UUID.randomUUID().toString().substring(0, 8);
        IntegrationConfig uninstalled = reportsIntegration(ws, "xoxb-uninstalled-" + ws, Map.of("slack_connection", "revoked"));
        IntegrationConfig invalid = reportsIntegration(ws, "xoxb-invalid-" + ws, Map.of());
        publish(uninstalled);
        publish(invalid);
        // the sender must know both integrations first, else it dead-letters "destination not configured"
        await().atMost(Duration.ofSeconds(30)).until(() -> senderConfig.integration(ws, uninstalled.id()).isPresent()
                && senderConfig.integration(ws, invalid.id()).isPresent());
        SLACK.stubFor(post("/api/chat.postMessage").withHeader("Authorization", containing("xoxb-invalid-" + ws))
                .atPriority(1).willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));

        var event = SlackFixtures.reportCompleted("Weekly revenue " + ws, "Weekly revenue is ready");
        event.setWorkspaceId(ws);
        Notification toUninstalled = notification(uninstalled, "C_reports", event);
        Notification toInvalid = notification(invalid, "C_reports", event);
        send(toUninstalled, toInvalid);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = read("notifications.slack.dlq");
            assertThat(dead).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(toUninstalled.getDestination().getDestinationId());
                assertThat(header(r, "connectors-dlt-reason")).isEqualTo("auth");
                assertThat(header(r, "kafka_dlt-exception-message"))
                        .isEqualTo("auth: the Slack app was uninstalled or its token revoked: reconnect Slack");
            });
            assertThat(dead).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(toInvalid.getDestination().getDestinationId());
                assertThat(header(r, "connectors-dlt-reason")).isEqualTo("auth");
                assertThat(header(r, "kafka_dlt-exception-message"))
                        .isEqualTo("auth: the Slack token no longer works (invalid_auth); reconnect Slack");
            });
        });
        // permanent: one post for the dead token, none at all for the uninstalled app
        SLACK.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", containing("xoxb-invalid-" + ws)));
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", containing("xoxb-uninstalled-" + ws)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<StatusReport> reports = new ArrayList<>();
            for (var r : read("connectors.status")) {
                reports.add(ConfigCodec.decode(r.value(), StatusReport.class));
            }
            assertThat(reports).anySatisfy(report -> {
                assertThat(report.integrationId()).isEqualTo(invalid.id());
                assertThat(report.state()).isEqualTo(StatusReport.UNHEALTHY);
                assertThat(report.message()).isEqualTo("the Slack token no longer works (invalid_auth); reconnect Slack");
            });
            assertThat(reports).anySatisfy(report -> {
                assertThat(report.integrationId()).isEqualTo(uninstalled.id());
                assertThat(report.state()).isEqualTo(StatusReport.DISCONNECTED);
            });
        });
    }

    private static IntegrationConfig reportsIntegration(String ws, String token, Map<String, String> properties) {
        String id = "int_" + UUID.randomUUID().toString().substring(0, 8);
        var props = new java.util.HashMap<>(Map.of("slack_team_id", "T1", "scopes", "chat:write"));
        props.putAll(properties);
        return new IntegrationConfig(id, ws, IntegrationKind.slack, "Slack", true, Map.of("report.completed", true),
                "C_reports", List.of(new SlackChannelConfig("C_reports", "#reports")), List.of(),
                Map.of("bot_token", SlackFixtures.SECRETS.seal(token, SecretPurposes.credential(ws, id, "bot_token"))),
                props, 1, Instant.now(), Instant.now());
    }

    private static void publish(IntegrationConfig integration) throws Exception {
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("connectors.config", new ConfigKey(ConfigKey.INTEGRATION,
                    integration.workspaceId(), integration.id()).toString(), ConfigCodec.encode(integration))).get();
        }
    }

    private static void send(Notification... notifications) throws Exception {
        try (var producer = new KafkaProducer<String, Notification>(TestInfrastructure.producerProperties(),
                new StringSerializer(), avroSerializer())) {
            for (Notification n : notifications) {
                producer.send(new ProducerRecord<>("notifications.slack", n.getDestination().getDestinationId(), n))
                        .get();
            }
        }
    }

    private static Notification notification(IntegrationConfig integration, String channelId,
                                             com.messagingconnectors.schemas.avro.PlatformEvent event) {
        String destinationId = integration.destinationId(channelId);
        return Notification.newBuilder()
                .setNotificationId(com.messagingconnectors.schemas.NotificationIds.of(event.getEventId(), destinationId))
                .setChannel("slack")
                .setDestination(com.messagingconnectors.schemas.avro.Destination.newBuilder()
                        .setDestinationId(destinationId).setIntegrationId(integration.id()).setTarget(channelId).build())
                .setRoutedAt(Instant.now()).setRuleId("reports").setEvent(event).build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerializer<Notification> avroSerializer() {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        return serializer;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        try (var consumer = new KafkaConsumer<>(TestInfrastructure.consumerProperties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
