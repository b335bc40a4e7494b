package com.messagingconnectors.delivery.outcome;

import com.messagingconnectors.config.store.TopicFollower;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification ids a channel has delivered: compacted topic {@code notifications.<channel>.delivered} (key =
 * notification id, value = delivery time in epoch millis), read from the start when the sender starts and followed
 * live (so instances see each other's deliveries), kept in memory for {@code retention} and at most {@code maxIds}
 * of them (the oldest are forgotten first), so memory stays bounded at any delivery rate. A late retry, a duplicate
 * or a replay of something already delivered is skipped instead of sent twice.
 */
public final class DeliveredLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveredLog.class);
    private static final long EVICTION_EVERY_MS = 60_000;

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Duration retention;
    private final Clock clock;
    /** In the order ids were first seen, which is about the order of their delivery times. Guarded by itself. */
    private final DeliveredIds deliveredAt;
    private final TopicFollower follower;
    private long lastEviction;

    /** @param reader a consumer with no group ({@code DeliveryKafka.deliveredLogReader}); this log closes it */
    public DeliveredLog(KafkaConsumer<String, byte[]> reader, String topic, Producer<byte[], byte[]> producer,
            Duration retention, int maxIds, Clock clock) {
        this.deliveredAt = new DeliveredIds(maxIds);
        this.topic = topic;
        this.producer = producer;
        this.retention = retention;
        this.clock = clock;
        this.lastEviction = clock.millis();
        this.follower = new TopicFollower(reader, topic, this::apply,
                () -> log.info("delivered log {} loaded: {} notification ids", topic, size()));
    }

    /** Starts reading; waits (bounded) until what was on the topic at start is in memory. */
    public DeliveredLog start(Duration catchUpTimeout) throws InterruptedException {
        follower.start();
        if (!follower.awaitCaughtUp(catchUpTimeout)) {
            log.warn("delivered log {} not caught up after {}; continuing (dedupe may miss older deliveries)", topic,
                    catchUpTimeout);
        }
        return this;
    }

    public boolean contains(String notificationId) {
        long at;
        synchronized (deliveredAt) {
            at = deliveredAt.deliveredAt(notificationId);
        }
        return at >= 0 && at >= clock.millis() - retention.toMillis();
    }

    /** Remembers a delivery here at once and on the topic for the other instances and the next start. */
    public void delivered(String notificationId) {
        long now = clock.millis();
        remember(notificationId, now);
        producer.send(new ProducerRecord<>(topic, notificationId.getBytes(StandardCharsets.UTF_8),
                Long.toString(now).getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                    if (error != null) {
                        log.warn("could not record delivery of notificationId={} on {}: {}", notificationId, topic,
                                error.toString());
                    }
                });
    }

    /** Why following the log stopped while it should run (dedupe then misses other instances' deliveries), or null. */
    public Throwable failure() {
        return follower.failure();
    }

    public int size() {
        synchronized (deliveredAt) {
            return deliveredAt.size();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null && record.value() != null) {
            remember(record.key(), Long.parseLong(new String(record.value(), StandardCharsets.UTF_8)));
        }
    }

    private void remember(String notificationId, long at) {
        synchronized (deliveredAt) {
            deliveredAt.remember(notificationId, at);
            long now = clock.millis();
            if (now - lastEviction > EVICTION_EVERY_MS) {
                deliveredAt.forgetDeliveredBefore(now - retention.toMillis());
                lastEviction = now;
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
