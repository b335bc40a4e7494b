package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.config.store.ConfigWriter;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once fan-out, proven the hard way: the router runs as its own process, is killed with SIGKILL while a burst
 * of events flows, and is started again. A read_committed consumer (as every sender reads) must then see every
 * expected notification exactly once: none lost, none duplicated.
 */
class RouterCrashIT {
    private static final int WORKSPACES = 10;
    private static final int EVENTS = 3_000;
    /** Each event goes to two destinations (two Slack channels, by two rules). */
    private static final int FAN_OUT = 2;

    @Test
    void routerKilledMidBurstThenRestartedFansOutEveryEventExactlyOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "crash." + run + ".events";
        String slackTopic = Topics.notifications("slack");
        TestInfrastructure.createTopics(3, input, slackTopic, Topics.PLATFORM_EVENTS_DLQ);
        TestInfrastructure.createTopics(1, Topics.CONNECTORS_CONFIG);
        List<String> workspaces = new ArrayList<>();
        try (ConfigWriter config = new ConfigWriter(TestInfrastructure.bootstrapServers(), Topics.CONNECTORS_CONFIG,
                "crash-test-" + run)) {
            for (int i = 0; i < WORKSPACES; i++) {
                String ws = "ws_crash_" + run + "_" + i;
                workspaces.add(ws);
                for (IntegrationConfig integration : integrations(ws)) {
                    config.write(new ConfigKey(ConfigKey.INTEGRATION, ws, integration.id()), integration);
                }
            }
        }

        // a stable transactional id, as a StatefulSet pod would have: the restarted router fences its dead self
        List<String> args = List.of("--spring.kafka.bootstrap-servers=" + TestInfrastructure.bootstrapServers(),
                "--schema.registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                "--connectors.router.input-topic=" + input, "--connectors.router.group-id=crash-" + run,
                "--connectors.router.transactional-id=crash-router-" + run,
                "--connectors.router.max-poll-records=100");
        ServiceProcess router = ServiceProcess.start("router-service", "router-crash-1", args).awaitReady(
                Duration.ofMinutes(3));

        NotificationCounter counter = new NotificationCounter(List.of(slackTopic), run);
        Thread producer = Thread.ofPlatform().start(() -> produceBurst(input, workspaces));
        try {
            // kill it once part of the burst has been fanned out, while the rest is still flowing
            await("first notifications").atMost(Duration.ofMinutes(2)).until(() -> counter.total() >= EVENTS / 3);
            router.kill();
            long atKill = counter.total();
            assertThat(atKill).as("killed mid-burst").isLessThan((long) EVENTS * FAN_OUT);

            ServiceProcess restarted = ServiceProcess.start("router-service", "router-crash-2", args)
                    .awaitReady(Duration.ofMinutes(3));
            try {
                producer.join();
                await("every notification").atMost(Duration.ofMinutes(3))
                        .until(() -> counter.total() >= (long) EVENTS * FAN_OUT);
                // and nothing more trickles in afterwards (no duplicate from a replayed batch)
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                        .until(() -> counter.total() == (long) EVENTS * FAN_OUT);
                assertThat(counter.duplicates()).as("notification ids seen twice").isEmpty();
                assertThat(counter.distinct()).isEqualTo(EVENTS * FAN_OUT);
            } finally {
                restarted.close();
            }
        } finally {
            counter.close();
            router.close();
        }
    }

    private static void produceBurst(String topic, List<String> workspaces) {
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(), avro)) {
            for (int i = 0; i < EVENTS; i++) {
                String ws = workspaces.get(i % workspaces.size());
                PlatformEvent event = PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setType("alert.triggered").setWorkspaceId(ws).setOccurredAt(Instant.now())
                        .setLevel(Level.alert).setSummary("alert " + i).setPayload(new GenericPayload("{}")).build();
                producer.send(new ProducerRecord<>(topic, ws, event));
                if (i % 200 == 199) {
                    producer.flush();
                    try {
                        Thread.sleep(150); // a burst that lasts a few seconds, so the kill lands in the middle
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Two destinations per event: a rule that continues and a second rule. Slack only, so no sender that another
     * e2e class may start would try to deliver these.
     */
    private static List<IntegrationConfig> integrations(String ws) {
        Instant now = Instant.now();
        return List.of(new IntegrationConfig("slack-" + ws, ws, IntegrationKind.slack, "Slack", true,
                Map.of("alert.triggered", true), null,
                List.of(new SlackChannelConfig("C_alerts", "#alerts"), new SlackChannelConfig("C_oncall", "#on-call")),
                List.of(new RoutingRule("alerts", null, new RuleMatch(List.of("alert.*"), List.of(), List.of()),
                                "C_alerts", true),
                        new RoutingRule("alert-level", null, new RuleMatch(List.of("*"), List.of("alert"), List.of()),
                                "C_oncall", false)),
                null, null, 1, now, now));
    }

    /** Reads the notification topics as a sender does (read_committed) and counts notification ids of this run. */
    private static final class NotificationCounter implements AutoCloseable {
        private final Map<String, Integer> seen = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final String run;

        NotificationCounter(List<String> topics, String run) {
            this.run = run;
            Properties props = TestInfrastructure.consumerProperties();
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-counter-" + run);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            AvroDeserializer<Notification> avro = new AvroDeserializer<>();
            avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
            KafkaConsumer<String, Notification> consumer = new KafkaConsumer<>(props, new StringDeserializer(), avro);
            consumer.subscribe(topics);
            thread = Thread.ofPlatform().daemon().start(() -> {
                try (consumer) {
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                            if (r.value().getEvent().getWorkspaceId().startsWith("ws_crash_" + run)) {
                                synchronized (seen) {
                                    seen.merge(r.value().getNotificationId(), 1, Integer::sum);
                                }
                            }
                        });
                    }
                }
            });
        }

        long total() {
            synchronized (seen) {
                return seen.values().stream().mapToLong(Integer::longValue).sum();
            }
        }

        int distinct() {
            synchronized (seen) {
                return seen.size();
            }
        }

        List<String> duplicates() {
            synchronized (seen) {
                return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
