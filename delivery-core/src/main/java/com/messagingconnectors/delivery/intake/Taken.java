package com.messagingconnectors.delivery.intake;

import com.messagingconnectors.delivery.outcome.RetryState;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.avro.Notification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record taken from Kafka and not done yet: its notification (null for poison), the delivery state from its
 * headers, and the partition ownership it was read under. {@link #done()} lets its offset be committed.
 */
public final class Taken {
    private final ConsumerRecord<byte[], byte[]> record;
    private final Notification notification;
    private final RetryState state;
    private final TopicPartition partition;
    private final int generation;
    private final OffsetTracker tracker;

    /** Registers the record as taken (not done) with {@code tracker}. */
    public Taken(ConsumerRecord<byte[], byte[]> record, Notification notification, RetryState state, OffsetTracker tracker) {
        this.record = record;
        this.notification = notification;
        this.state = state;
        this.partition = new TopicPartition(record.topic(), record.partition());
        this.tracker = tracker;
        tracker.taken(partition, record.offset());
        this.generation = tracker.generation(partition);
    }

    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** Null when the record could not be decoded (poison). */
    public Notification notification() {
        return notification;
    }

    public RetryState state() {
        return state;
    }

    public String destinationId() {
        return notification.getDestination().getDestinationId();
    }

    /** True when an operator replayed it from the dead-letter topic. */
    public boolean manualReplay() {
        return record.headers().lastHeader(DeliveryHeaders.REPLAY) != null;
    }

    /** Delivered, skipped, or acknowledged by the broker in a retry or dead-letter topic: its offset may be committed. */
    public void done() {
        tracker.done(partition, generation, record.offset());
    }

    /** False once its partition was revoked: then another instance reads it again and this copy must not start. */
    public boolean stillOwned() {
        return tracker.owns(partition, generation);
    }
}
