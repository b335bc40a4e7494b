package com.messagingconnectors.config.observe;

import com.messagingconnectors.config.store.TopicFollower;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The config follower is an essential loop: when it dies (here a fatal error injected while applying a record) it
 * says so, so that liveness can fail; a clean close does not.
 */
class ConfigFollowerLivenessTest {

    @Test
    void aFollowerThatDiesOnAnErrorReportsItselfStopped() throws Exception {
        String topic = "follower-liveness-" + UUID.randomUUID();
        TestInfrastructure.createTopics(1, topic);
        AtomicInteger stoppedCalls = new AtomicInteger();
        try (TopicFollower follower = new TopicFollower(TestInfrastructure.bootstrapServers(), topic, record -> {
            if ("fatal".equals(record.key())) {
                throw new StackOverflowError("injected");
            }
        }, () -> { })) {
            follower.whenStopped(stoppedCalls::incrementAndGet);
            follower.start();
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            produce(topic, "fine");
            assertThat(follower.isFollowing()).isTrue();

            produce(topic, "fatal");
            // the follower marks itself stopped, then calls its listeners: wait for the call, not the flag
            await().atMost(Duration.ofSeconds(20)).until(() -> stoppedCalls.get() > 0);
            assertThat(follower.isFollowing()).isFalse();
            assertThat(stoppedCalls).hasValue(1);
        }
    }

    @Test
    void closingIsNotDying() throws Exception {
        String topic = "follower-close-" + UUID.randomUUID();
        TestInfrastructure.createTopics(1, topic);
        AtomicInteger stoppedCalls = new AtomicInteger();
        TopicFollower follower = new TopicFollower(TestInfrastructure.bootstrapServers(), topic, record -> { },
                () -> { });
        follower.whenStopped(stoppedCalls::incrementAndGet);
        follower.start();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        follower.close();
        assertThat(follower.isFollowing()).isTrue();
        assertThat(stoppedCalls).hasValue(0);
    }

    private static void produce(String topic, String key) throws Exception {
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, new byte[] {1})).get();
        }
    }
}
