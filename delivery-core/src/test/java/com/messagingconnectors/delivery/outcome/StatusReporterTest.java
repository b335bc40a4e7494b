package com.messagingconnectors.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an admin sees in an integration's status comes from these reports (integration-service folds the latest one):
 * a healthy channel must not report "recovered" while another channel of the same integration is still failing, and
 * a credentials problem is the integration's, so any success clears it.
 */
class StatusReporterTest {
    private final String topic = "status-test-" + UUID.randomUUID();
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private StatusReporter reporter;
    private final List<StatusReport> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        TestInfrastructure.createTopics(1, topic);
        Properties producerProperties = TestInfrastructure.producerProperties();
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(producerProperties);
        consumer = new KafkaConsumer<>(TestInfrastructure.consumerProperties());
        consumer.subscribe(List.of(topic));
        // "delivered" reports at most once a day here, so the recovered/unhealthy reports are all the test sees
        reporter = new StatusReporter(producer, topic, Duration.ofDays(1), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        producer.close();
        consumer.close();
    }

    @Test
    void aHealthyChannelDoesNotHideAnotherChannelsProblem() {
        reporter.delivered("ws", "int1", "general"); // the periodic "delivered" report
        reporter.effect("ws", "int1", "archived", IntegrationEffect.UNHEALTHY, "destination_gone",
                "channel is archived");
        reporter.delivered("ws", "int1", "general");
        reporter.delivered("ws", "int1", "archived"); // the admin unarchived it: now it has recovered
        producer.flush();

        assertThat(awaitStates(3)).containsExactly("delivered", "unhealthy/archived", "connected/archived");
    }

    @Test
    void aCredentialsProblemIsClearedByAnySuccessOfTheIntegration() {
        reporter.effect("ws", "int2", "alerts", IntegrationEffect.UNHEALTHY, "auth", "token no longer works");
        reporter.delivered("ws", "int2", "general"); // reconnected: the token works again
        producer.flush();

        assertThat(awaitStates(3)).containsExactly("unhealthy/alerts", "connected/general", "delivered");
    }

    /** The states reported, in order ("state/channel" for problems and recoveries). */
    private List<String> awaitStates(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    seen.add(ConfigCodec.decode(record.value(), StatusReport.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return seen.size() >= count;
        });
        assertThat(consumer.poll(Duration.ofMillis(500))).as("no further report (a stray recovered would be the bug)")
                .isEmpty();
        return seen.stream().map(r -> r.state().equals(StatusReport.DELIVERED) ? r.state()
                : r.state() + "/" + r.channelId()).toList();
    }
}
