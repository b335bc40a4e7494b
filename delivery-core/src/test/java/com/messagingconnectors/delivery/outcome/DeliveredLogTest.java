package com.messagingconnectors.delivery.outcome;

import com.messagingconnectors.delivery.kafka.DeliveryKafka;
import com.messagingconnectors.schemas.TopicCreation;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivered log on a real broker: what a sender remembers stays bounded however many notifications it delivers,
 * in memory (at most maxIds, the oldest forgotten first, also after a restart) and on the topic (ids deleted after the
 * retention, not only compacted).
 */
class DeliveredLogTest {

    @Test
    void memoryHoldsAtMostMaxIdsTheNewestAlsoAfterARestart() throws Exception {
        String channel = "dlogtest" + UUID.randomUUID().toString().substring(0, 8);
        TopicCreation.createMissing(TestInfrastructure.bootstrapServers(),
                TopicCreation.channelTopics(channel, 1, TopicCreation.ChannelPartitions.uniform(1, (short) 1)));
        String topic = Topics.delivered(channel);
        DeliveryKafka kafka = new DeliveryKafka(TestInfrastructure.bootstrapServers(), "dlogtest-" + channel);
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID().toString()).toList();
        try (Producer<byte[], byte[]> producer = kafka.producer()) {
            try (DeliveredLog log = new DeliveredLog(kafka.deliveredLogReader(topic), topic, producer,
                    Duration.ofDays(7), 3, Clock.systemUTC()).start(Duration.ofSeconds(30))) {
                ids.forEach(log::delivered);
                assertThat(log.size()).isEqualTo(3);
                assertThat(ids).map(log::contains).containsExactly(false, false, true, true, true);
            }
            producer.flush();
            // a restarted sender reads all five back from the topic and keeps the newest three
            try (DeliveredLog restarted = new DeliveredLog(kafka.deliveredLogReader(topic), topic, producer,
                    Duration.ofDays(7), 3, Clock.systemUTC()).start(Duration.ofSeconds(30))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> restarted.contains(ids.getLast()));
                assertThat(restarted.size()).isEqualTo(3);
                assertThat(ids).map(restarted::contains).containsExactly(false, false, true, true, true);
            }
        }
    }

    @Test
    void theTopicDeletesIdsAfterTheRetentionInsteadOfKeepingThemForever() throws Exception {
        String channel = "dlogtopic" + UUID.randomUUID().toString().substring(0, 8);
        TopicCreation.createMissing(TestInfrastructure.bootstrapServers(),
                TopicCreation.channelTopics(channel, 1, TopicCreation.ChannelPartitions.uniform(1, (short) 1)));
        try (Admin admin = Admin.create(TestInfrastructure.adminProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.delivered(channel));
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact,delete");
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        }
    }

    @Test
    void aLogStartedBeforeItsTopicIsReadyWaitsForItAndFollowsIt() throws Exception {
        // several senders starting at once on a new cluster: one creates the topic while another already reads it
        String channel = "dlogwait" + UUID.randomUUID().toString().substring(0, 8);
        String topic = Topics.delivered(channel);
        DeliveryKafka kafka = new DeliveryKafka(TestInfrastructure.bootstrapServers(), "dlogwait-" + channel);
        try (Producer<byte[], byte[]> producer = kafka.producer();
             DeliveredLog log = new DeliveredLog(kafka.deliveredLogReader(topic), topic, producer,
                     Duration.ofDays(7), 100, Clock.systemUTC())) {
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    log.start(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            TopicCreation.createMissing(TestInfrastructure.bootstrapServers(),
                    TopicCreation.channelTopics(channel, 1, TopicCreation.ChannelPartitions.uniform(1, (short) 1)));
            started.get(60, TimeUnit.SECONDS);
            // another instance's delivery, written straight to the topic, reaches this one
            String elsewhere = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(topic, elsewhere.getBytes(StandardCharsets.UTF_8),
                    Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains(elsewhere));
            assertThat(log.failure()).isNull();
        }
    }

    @Test
    void aLogThatCanNoLongerReadItsTopicSaysWhy() throws Exception {
        // e.g. the sender's ACLs changed under it: the follower stops, and the engine's failure() (so the liveness
        // group's delivery health) reports it instead of dedupe silently missing other instances' deliveries
        String channel = "dlogdies" + UUID.randomUUID().toString().substring(0, 8);
        TopicCreation.createMissing(TestInfrastructure.bootstrapServers(),
                TopicCreation.channelTopics(channel, 1, TopicCreation.ChannelPartitions.uniform(1, (short) 1)));
        String topic = Topics.delivered(channel);
        DeliveryKafka kafka = new DeliveryKafka(TestInfrastructure.bootstrapServers(), "dlogdies-" + channel);
        AtomicBoolean denied = new AtomicBoolean();
        try (Producer<byte[], byte[]> producer = kafka.producer();
             DeliveredLog log = new DeliveredLog(new DeniedWhenTold(denied, topic), topic, producer,
                     Duration.ofDays(7), 100, Clock.systemUTC()).start(Duration.ofSeconds(30))) {
            assertThat(log.failure()).isNull();
            denied.set(true);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.failure() != null);
            assertThat(log.failure()).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** A real reader on the real broker, until the broker is said to deny it the topic. */
    private static final class DeniedWhenTold extends KafkaConsumer<String, byte[]> {
        private final AtomicBoolean denied;
        private final String topic;

        DeniedWhenTold(AtomicBoolean denied, String topic) {
            super(TestInfrastructure.consumerProperties());
            this.denied = denied;
            this.topic = topic;
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (denied.get()) {
                throw new TopicAuthorizationException(Set.of(topic));
            }
            return super.poll(timeout);
        }
    }
}
