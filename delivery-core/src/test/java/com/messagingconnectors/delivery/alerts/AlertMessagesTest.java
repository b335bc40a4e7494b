package com.messagingconnectors.delivery.alerts;

import com.messagingconnectors.delivery.kafka.DeliveryKafka;
import com.messagingconnectors.schemas.TopicCreation;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store of alert messages on a real broker: what one instance remembers, another finds (started later, or
 * already running), per destination and alert; an entry older than the retention counts as unknown; the topic is
 * compacted and deletes after the retention.
 */
class AlertMessagesTest {
    private final String bootstrap = TestInfrastructure.bootstrapServers();

    @Test
    void anotherInstanceFindsTheMessageOfAnAlertPerDestination() throws Exception {
        String topic = "alert-messages-test-" + UUID.randomUUID();
        TopicCreation.createMissing(bootstrap, List.of(new NewTopic(topic, 2, (short) 1)));
        DeliveryKafka kafka = new DeliveryKafka(bootstrap, "alerttest-" + UUID.randomUUID());
        try (Producer<byte[], byte[]> producer = kafka.producer();
             AlertMessages running = store(kafka, topic, producer, Clock.systemUTC())) {
            assertThat(running.isLoaded()).isTrue();
            try (AlertMessages first = store(kafka, topic, producer, Clock.systemUTC())) {
                first.remember("int_1/C1", "al_1", Map.of("channel", "C1", "ts", "1700000000.000100"));
            }
            try (AlertMessages restarted = store(kafka, topic, producer, Clock.systemUTC())) {
                assertThat(restarted.find("int_1/C1", "al_1")).hasValueSatisfying(p -> assertThat(p.reference())
                        .containsEntry("channel", "C1").containsEntry("ts", "1700000000.000100"));
                assertThat(restarted.find("int_1/C2", "al_1")).isEmpty();
                assertThat(restarted.find("int_1/C1", "al_2")).isEmpty();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> running.find("int_1/C1", "al_1").isPresent());
            // fifteen days later it is unknown: the resolution becomes a message of its own
            try (AlertMessages later = store(kafka, topic, producer,
                    Clock.offset(Clock.systemUTC(), Duration.ofDays(15)))) {
                assertThat(later.size()).isEqualTo(1);
                assertThat(later.find("int_1/C1", "al_1")).isEmpty();
            }
        }
    }

    @Test
    void theTopicIsCompactedAndDeletesAfterFourteenDays() throws Exception {
        TopicCreation.createMissing(bootstrap, List.of(TopicCreation.alertMessages(2, (short) 1)));
        try (Admin admin = Admin.create(TestInfrastructure.adminProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERT_MESSAGES);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact,delete");
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo(Long.toString(Duration.ofDays(14).toMillis()));
        }
    }

    @Test
    void theKeyIsDestinationAndAlertWithASeparatorNeitherContains() {
        assertThat(AlertMessages.key("int_1/C1", "al_1")).isEqualTo("int_1/C1\u241eal_1");
    }

    private static AlertMessages store(DeliveryKafka kafka, String topic, Producer<byte[], byte[]> producer, Clock clock)
            throws InterruptedException {
        return new AlertMessages(kafka.alertMessagesReader(topic), topic, producer, Duration.ofDays(14), clock)
                .start(Duration.ofSeconds(30));
    }
}
