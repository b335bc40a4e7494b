package com.messagingconnectors.router;

import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigWriter;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.messagingconnectors.router.RouterRoutingTest.event;
import static com.messagingconnectors.router.RouterRoutingTest.key;
import static com.messagingconnectors.router.RouterRoutingTest.slack;
import static com.messagingconnectors.router.RouterRoutingTest.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the router commits: while events keep coming, one transaction takes in several polls' worth (up to the
 * linger); an event after a quiet spell is committed at once. A long linger makes both visible on a real broker.
 * Its own input topic and group, so the other router test's router (same JVM, cached context) does not take part.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RouterTransactionCadenceTest {
    static final String INPUT = "platform.events.cadence";
    static final Duration LINGER = Duration.ofSeconds(3);
    static ConfigWriter config;
    static final List<ConsumerRecord<String, Notification>> notifications = new CopyOnWriteArrayList<>();
    static Thread reader;
    static volatile boolean reading = true;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(3, INPUT, "notifications.slack", "notifications.teams",
                "notifications.webhook", "notifications.digest");
        TestInfrastructure.createTopics(1, RouterRoutingTest.CONFIG_TOPIC, "platform.events.dlq");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.router.input-topic", () -> INPUT);
        registry.add("connectors.router.group-id", () -> "router-cadence-test");
        registry.add("connectors.router.transactional-id", () -> "router-cadence-test-" + UUID.randomUUID());
        registry.add("connectors.router.transaction-linger", () -> LINGER.toMillis() + "ms");
    }

    @BeforeAll
    static void start() {
        config = new ConfigWriter(TestInfrastructure.bootstrapServers(), RouterRoutingTest.CONFIG_TOPIC,
                "router-cadence-test-config-writer");
        reader = Thread.ofPlatform().daemon().start(RouterTransactionCadenceTest::readNotifications);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        reading = false;
        reader.join(5_000);
        config.close();
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void aSteadyTrickleOfEventsIsCommittedALingerAtATimeAndEachEventIsRoutedOnce() throws Exception {
        String ws = workspace();
        IntegrationConfig slack = slack(ws, Map.of("report.completed", true));
        String destination = slack.destinationId("C_analytics");
        config.write(key(slack), slack);
        awaitRouted(ws, destination);

        long transactionsBefore = transactions();
        List<PlatformEvent> trickle = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, PlatformEvent> producer = producer()) {
            // one event at a time, each acknowledged before the next: how single-event requests reach the router
            for (int i = 0; i < 40; i++) {
                PlatformEvent e = event(ws, "report.completed", Level.info);
                producer.send(new ProducerRecord<>(INPUT, ws, e)).get();
                trickle.add(e);
            }
        }
        Duration producing = Duration.ofNanos(System.nanoTime() - started);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(trickle)
                .allSatisfy(e -> assertThat(destinationsOf(e)).containsExactly(destination)));
        long transactions = transactions() - transactionsBefore;
        // committed poll by poll, 40 acknowledged sends make about 40 transactions; lingering, one per LINGER
        assertThat(transactions).as("transactions for 40 events produced over %s", producing)
                .isLessThanOrEqualTo(producing.toMillis() / LINGER.toMillis() + 3);
    }

    @Test
    void anEventAfterAQuietSpellIsCommittedWithoutWaitingForTheLinger() throws Exception {
        String ws = workspace();
        IntegrationConfig slack = slack(ws, Map.of("report.completed", true));
        String destination = slack.destinationId("C_analytics");
        config.write(key(slack), slack);
        awaitRouted(ws, destination);
        // the precondition is time itself: no event for longer than the linger
        Thread.sleep(LINGER.plusMillis(500));

        PlatformEvent alone = event(ws, "report.completed", Level.info);
        long sent;
        try (KafkaProducer<String, PlatformEvent> producer = producer()) {
            producer.send(new ProducerRecord<>(INPUT, ws, alone)).get();
            sent = System.nanoTime();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !destinationsOf(alone).isEmpty());
        Duration routed = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(routed).as("time until the lone event was readable").isLessThan(LINGER.minusMillis(500));
    }

    /** Produces probes until one reaches {@code destination}: the config is in the router's view. */
    private void awaitRouted(String ws, String destination) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            PlatformEvent probe = event(ws, "report.completed", Level.info);
            try (KafkaProducer<String, PlatformEvent> producer = producer()) {
                producer.send(new ProducerRecord<>(INPUT, ws, probe)).get();
            }
            return await().atMost(LINGER.plusSeconds(5)).until(() -> destinationsOf(probe), d -> !d.isEmpty())
                    .contains(destination);
        });
    }

    private long transactions() {
        Timer timer = meters.find("connectors.router.batch").timer();
        return timer == null ? 0 : timer.count();
    }

    private static List<String> destinationsOf(PlatformEvent event) {
        return notifications.stream().filter(r -> r.value().getEvent().getEventId().equals(event.getEventId()))
                .map(ConsumerRecord::key).toList();
    }

    private static KafkaProducer<String, PlatformEvent> producer() {
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        return new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(), avro);
    }

    private static void readNotifications() {
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "router-cadence-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AvroDeserializer<Notification> avro = new AvroDeserializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        try (var out = new KafkaConsumer<>(props, new StringDeserializer(), avro)) {
            out.subscribe(List.of("notifications.slack"));
            while (reading) {
                out.poll(Duration.ofMillis(50)).forEach(notifications::add);
            }
        }
    }
}
