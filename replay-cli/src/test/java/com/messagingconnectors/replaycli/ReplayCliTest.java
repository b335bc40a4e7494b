package com.messagingconnectors.replaycli;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.replay.DeliveredCheck;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import picocli.CommandLine;

/**
 * The CLI against a real sender admin API (delivery-core's auto-configuration in a small Boot app with
 * the webhook channel) on a real broker: list with filters, dry run by default, replay with progress and summary,
 * already-delivered skipped, bad arguments rejected with nothing replayed.
 */
class ReplayCliTest {
    private static final String ADMIN_KEY = "cli-test-admin-key";
    private static final String DLQ = Topics.deadLetter("webhook");
    private static final String TARGET = Topics.notifications("webhook");
    private static final String PERMANENT = "com.messagingconnectors.delivery.DeliveryException$Permanent";
    static final Set<String> DELIVERED = ConcurrentHashMap.newKeySet();

    private static ConfigurableApplicationContext sender;
    private static String senderUrl;
    private static KafkaProducer<byte[], byte[]> producer;
    private static AvroSerializer<Notification> serializer;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WebhookSender {
        @Bean
        DeliveredCheck deliveredCheck() {
            return DELIVERED::contains;
        }

        /** The sender's channel: the admin API serves its dead-letter topic. Never asked to deliver here. */
        @Bean
        NotificationChannel webhookChannel() {
            return new NotificationChannel() {
                @Override
                public String name() {
                    return "webhook";
                }

                @Override
                public DeliveryOutcome deliver(DeliveryRequest request) {
                    throw new UnsupportedOperationException("this test sender only serves the admin API");
                }
            };
        }
    }

    @BeforeAll
    static void startSender() {
        TestInfrastructure.createTopics(3, DLQ, TARGET);
        sender = new SpringApplicationBuilder(WebhookSender.class).properties(
                "server.port=0", "server.address=127.0.0.1",
                "spring.kafka.bootstrap-servers=" + TestInfrastructure.bootstrapServers(),
                "connectors.schema-registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                "connectors.security.admin-api-key=" + ADMIN_KEY).run();
        senderUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) sender).getWebServer().getPort();
        Properties properties = TestInfrastructure.producerProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
        serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
    }

    @AfterAll
    static void stopSender() {
        producer.close();
        sender.close();
    }

    @Test
    void listShowsTheFilteredDeadLetters() {
        String ws = workspace();
        Notification report = deadLetter(ws, "int_w/ep_1", "report.completed", 404);
        deadLetter(ws, "int_w/ep_2", "sync.failed", 500);

        Run run = cli("list", "--workspace", ws, "--type", "report.completed");

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("NOTIFICATION-ID").contains(report.getNotificationId()).contains("int_w/ep_1")
                .contains("Permanent").contains("404").contains("1 dead letter(s) in notifications.webhook.dlq")
                .doesNotContain("sync.failed");
    }

    @Test
    void replayIsADryRunUnlessExecuteIsGiven() {
        String ws = workspace();
        deadLetter(ws, "int_w/ep_1", "user.invited", 400);
        Map<TopicPartition, Long> before = targetEnd();

        Run run = cli("replay", "--workspace", ws);

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("Dry run: 1 dead letter(s) match in notifications.webhook.dlq")
                .contains("Would replay 1; skip 0 as already delivered")
                .contains("Nothing was sent. Run again with --execute to replay.");
        assertThat(replayedSince(before, ws)).isEmpty();
    }

    @Test
    void executeReplaysInChunksWithProgressKeepingTheIdsAndSkipsDelivered() {
        String ws = workspace();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(deadLetter(ws, "int_w/ep_" + i, "alert.triggered", 503).getNotificationId());
        }
        Notification delivered = deadLetter(ws, "int_w/ep_9", "alert.triggered", 503);
        DELIVERED.add(delivered.getNotificationId());
        Map<TopicPartition, Long> before = targetEnd();

        Run run = cli("replay", "--workspace", ws, "--execute", "--chunk-size", "2", "--rate", "500");

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.err).contains("[------------------------------] 0/5")
                .contains("[############------------------] 2/5")
                .contains("[##############################] 5/5");
        assertThat(run.out).contains("Plan: 6 dead letter(s) match")
                .contains("Replayed 5 to notifications.webhook; skipped 1 as already delivered, 0 as duplicate; failed 0.");
        List<ConsumerRecord<byte[], byte[]>> replayed = replayedSince(before, ws);
        assertThat(replayed).extracting(r -> decode(r.value()).getNotificationId())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(replayed).allSatisfy(r -> assertThat(new String(r.headers().lastHeader("connectors-replay").value(),
                StandardCharsets.UTF_8)).isEqualTo("manual"));
    }

    @Test
    void badArgumentsAreRejectedAndNothingIsReplayed() {
        String ws = workspace();
        deadLetter(ws, "int_w/ep_1", "user.invited", 400);
        Map<TopicPartition, Long> before = targetEnd();

        Run badTime = cli("replay", "--workspace", ws, "--from", "last tuesday", "--execute");
        Run noFilter = cli("replay", "--execute");
        Run unknownOption = cli("replay", "--workspaces", ws, "--execute");
        Run wrongKey = cliWithKey("wrong-key", "replay", "--workspace", ws, "--execute");

        assertThat(badTime.exitCode).isEqualTo(ReplayCli.EXIT_BAD_ARGUMENTS);
        assertThat(badTime.err).contains("'from' must be an ISO-8601 date-time").contains("Nothing was replayed.");
        assertThat(noFilter.exitCode).isEqualTo(ReplayCli.EXIT_BAD_ARGUMENTS);
        assertThat(noFilter.err).contains("a replay needs at least one filter");
        assertThat(unknownOption.exitCode).isEqualTo(ReplayCli.EXIT_BAD_ARGUMENTS);
        assertThat(unknownOption.err).contains("Unknown options: '--workspaces'").contains("Possible solutions: --workspace");
        assertThat(wrongKey.exitCode).isEqualTo(ReplayCli.EXIT_DENIED);
        assertThat(wrongKey.err).contains("the API key is unknown or revoked");
        assertThat(targetEnd()).isEqualTo(before);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        return cliWithKey(ADMIN_KEY, args);
    }

    private static Run cliWithKey(String key, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ReplayCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--sender", senderUrl, "--admin-key", key));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        if (Boolean.getBoolean("replay.cli.echo")) { // -Dreplay.cli.echo=true shows real CLI sessions, e.g. for docs
            System.out.printf("$ connectors-replay %s%n%s%s(exit %d)%n", String.join(" ", args), out, err, exitCode);
        }
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String workspace() {
        return "ws_cli_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Notification deadLetter(String workspace, String destinationId, String type, int httpStatus) {
        String eventId = UUID.randomUUID().toString();
        Notification notification = Notification.newBuilder()
                .setNotificationId(NotificationIds.of(eventId, destinationId))
                .setChannel("webhook")
                .setDestination(new Destination(destinationId, destinationId.split("/")[0], destinationId.split("/")[1]))
                .setRoutedAt(Instant.parse("2026-03-01T12:00:01Z"))
                .setEvent(PlatformEvent.newBuilder().setEventId(eventId).setType(type).setWorkspaceId(workspace)
                        .setOccurredAt(Instant.parse("2026-03-01T12:00:00Z")).setSummary("cli test " + type)
                        .setPayload(new GenericPayload("{}")).build())
                .build();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeliveryHeaders.EXCEPTION_CLASS, PERMANENT.getBytes(StandardCharsets.UTF_8));
        headers.add(DeliveryHeaders.EXCEPTION_MESSAGE, ("HTTP " + httpStatus).getBytes(StandardCharsets.UTF_8));
        headers.add(DeliveryHeaders.HTTP_STATUS, String.valueOf(httpStatus).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(DLQ, null, destinationId.getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(DLQ, notification), headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return notification;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = TestInfrastructure.consumerProperties();
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.remove("group.id");
        return new KafkaConsumer<>(properties);
    }

    private static Map<TopicPartition, Long> targetEnd() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(consumer.partitionsFor(TARGET).stream()
                    .map(p -> new TopicPartition(TARGET, p.partition())).toList());
        }
    }

    /** What was written to notifications.webhook for this workspace after {@code since}, up to the end now. */
    private static List<ConsumerRecord<byte[], byte[]>> replayedSince(Map<TopicPartition, Long> since, String workspace) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(since.keySet());
            since.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(since.keySet());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && workspace.equals(decode(record.value()).getEvent().getWorkspaceId())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static Notification decode(byte[] value) {
        try (AvroDeserializer<Notification> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
            return deserializer.deserialize(TARGET, value);
        }
    }
}
