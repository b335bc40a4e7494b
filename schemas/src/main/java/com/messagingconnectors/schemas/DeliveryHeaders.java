package com.messagingconnectors.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Every Kafka record header the system writes on a notification's way: the delivery state a record carries through
 * the retry topics, the reason headers of dead-letter records ({@code platform.events.dlq},
 * {@code notifications.<channel>.dlq}) and the replay mark. The one list shared by everything that writes or reads
 * them (router, senders, replay API and CLI, tests).
 *
 * <p>The {@code kafka_dlt-*} names are the ones Spring for Apache Kafka's dead-letter publisher writes, so existing
 * tooling understands them too. Text headers are UTF-8; {@code kafka_dlt-original-partition} is a 4-byte and the
 * offset and timestamp are 8-byte big-endian numbers.
 */
public final class DeliveryHeaders {
    // ------------------------------------------------------------ dead letters: why (router and senders)

    /** Class name of the exception that says why, e.g. the serde's SerializationException for a poison record. */
    public static final String EXCEPTION_CLASS = "kafka_dlt-exception-fqcn";
    /** Class name of that exception's root cause (the same class when it has no cause). */
    public static final String EXCEPTION_CAUSE_CLASS = "kafka_dlt-exception-cause-fqcn";
    /** Why, for a person, e.g. "cannot deserialize record of topic platform.events: unknown magic byte 0x7b ...". */
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    /** Stack trace of that exception, for whoever debugs it. */
    public static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    /** Same three, but for an undecodable key. */
    public static final String KEY_EXCEPTION_CLASS = "kafka_dlt-key-exception-fqcn";
    public static final String KEY_EXCEPTION_MESSAGE = "kafka_dlt-key-exception-message";
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** 4-byte big-endian int. */
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    /** 8-byte big-endian long. */
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    /** 8-byte big-endian long, epoch milliseconds. */
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";

    // ------------------------------------------------------------ dead letters: senders only (decimal / ISO text)

    /** The HTTP status of the last attempt, when the destination answered. */
    public static final String HTTP_STATUS = "connectors-dlt-http-status";
    /** The failure reason (the metrics tag): {@code client}, {@code server}, {@code poison}, {@code channel_disabled}… */
    public static final String REASON = "connectors-dlt-reason";
    /** Attempts made (0 for poison). */
    public static final String ATTEMPTS = "connectors-dlt-attempts";
    /** ISO-8601 instants of the first and the last attempt. */
    public static final String FIRST_ATTEMPT = "connectors-dlt-first-attempt";
    public static final String LAST_ATTEMPT = "connectors-dlt-last-attempt";

    // ------------------------------------------------------------ retry topics: the delivery state (text)

    /** The attempt the record is waiting for (2 for the first retry). */
    public static final String RETRY_ATTEMPT = "connectors-delivery-attempt";
    /** Epoch milliseconds before which the record is not attempted. */
    public static final String RETRY_NOT_BEFORE = "connectors-delivery-not-before";
    /** Epoch milliseconds of the first attempt. */
    public static final String RETRY_FIRST_ATTEMPT = "connectors-delivery-first-attempt";
    /** Where the notification was first read (the channel topic, not a retry topic). */
    public static final String RETRY_ORIGINAL_TOPIC = "connectors-delivery-original-topic";
    public static final String RETRY_ORIGINAL_PARTITION = "connectors-delivery-original-partition";
    public static final String RETRY_ORIGINAL_OFFSET = "connectors-delivery-original-offset";
    /** The last attempt's failure, for a person. */
    public static final String RETRY_LAST_ERROR = "connectors-delivery-last-error";

    // ------------------------------------------------------------ replay

    /** Set on a notification an operator replayed from the dead-letter topic; its value is {@link #REPLAY_MANUAL}. */
    public static final String REPLAY = "connectors-replay";
    public static final String REPLAY_MANUAL = "manual";

    private DeliveryHeaders() {
    }

    /** True for the headers that say why a record was dead-lettered (dropped when it is replayed). */
    public static boolean isDeadLetterReason(String name) {
        return name.startsWith("kafka_dlt-") || name.startsWith("connectors-dlt-");
    }

    /**
     * Adds the reason headers for {@code record} (whose own headers the caller has already copied) failing with
     * {@code reason}: exception class, root cause class, message, original topic/partition/offset/timestamp and the
     * consumer group. Existing reason headers are replaced, so a record dead-lettered twice carries the last reason.
     */
    public static void addReason(Headers headers, ConsumerRecord<?, ?> record, Throwable reason, String consumerGroup) {
        Throwable root = reason;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        putText(headers, EXCEPTION_CLASS, reason.getClass().getName());
        putText(headers, EXCEPTION_CAUSE_CLASS, root.getClass().getName());
        putText(headers, EXCEPTION_MESSAGE, String.valueOf(reason.getMessage()));
        putOriginal(headers, record.topic(), record.partition(), record.offset());
        put(headers, ORIGINAL_TIMESTAMP, ByteBuffer.allocate(8).putLong(record.timestamp()).array());
        if (consumerGroup != null) {
            putText(headers, ORIGINAL_CONSUMER_GROUP, consumerGroup);
        }
    }

    /** Replaces the original topic, partition and offset headers. */
    public static void putOriginal(Headers headers, String topic, int partition, long offset) {
        putText(headers, ORIGINAL_TOPIC, topic);
        put(headers, ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(partition).array());
        put(headers, ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(offset).array());
    }

    /** Replaces header {@code name} with {@code value} as UTF-8 text. */
    public static void putText(Headers headers, String name, String value) {
        put(headers, name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last header {@code name} as UTF-8 text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, byte[] value) {
        headers.remove(name);
        headers.add(name, value);
    }
}
