package com.messagingconnectors.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.config.model.ChannelConfig;
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
                List.of(ChannelConfig.chat("C_general", "#general"), ChannelConfig.chat("C_analytics", "#analytics-team"),
                        ChannelConfig.chat("C_gone", "#old-project")),
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

    private static Notification notification(IntegrationConfig integration, String channelId,
                                             com.messagingconnectors.schemas.avro.PlatformEvent event) {
        var request = SlackFixtures.request(integration, event);
        Notification n = request.notification();
        String destinationId = integration.destinationId(channelId);
        n.getDestination().setDestinationId(destinationId);
        n.getDestination().setTarget(channelId);
        n.setNotificationId(com.messagingconnectors.schemas.NotificationIds.of(event.getEventId(), destinationId));
        return n;
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
