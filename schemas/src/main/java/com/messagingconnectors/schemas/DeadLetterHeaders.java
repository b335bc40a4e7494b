package com.messagingconnectors.schemas;

/**
 * Headers of a dead-letter record ({@code platform.events.dlq}, {@code notifications.<channel>.dlq}), the one list
 * shared by everything that writes or reads dead letters (router, senders, replay tooling).
 *
 * <p>A dead-letter record keeps the original key, value and headers and adds these. The {@code kafka_dlt-*} names
 * are the ones Spring for Apache Kafka's dead-letter publisher writes, so existing tooling understands them too.
 * Text headers are UTF-8; the partition is a 4-byte and the offset and timestamp are 8-byte big-endian numbers.
 */
public final class DeadLetterHeaders {
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
    /** Senders only: the HTTP status of the last attempt, as decimal text, when the destination answered. */
    public static final String HTTP_STATUS = "connectors-dlt-http-status";

    private DeadLetterHeaders() {
    }

    /**
     * Adds the reason headers for {@code record} (whose own headers the caller has already copied) failing with
     * {@code reason}: exception class, root cause class, message, original topic/partition/offset/timestamp and the
     * consumer group. Existing reason headers are replaced, so a record dead-lettered twice carries the last reason.
     */
    public static void addReason(org.apache.kafka.common.header.Headers headers,
                                 org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record, Throwable reason,
                                 String consumerGroup) {
        Throwable root = reason;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        put(headers, EXCEPTION_CLASS, text(reason.getClass().getName()));
        put(headers, EXCEPTION_CAUSE_CLASS, text(root.getClass().getName()));
        put(headers, EXCEPTION_MESSAGE, text(String.valueOf(reason.getMessage())));
        put(headers, ORIGINAL_TOPIC, text(record.topic()));
        put(headers, ORIGINAL_PARTITION, java.nio.ByteBuffer.allocate(4).putInt(record.partition()).array());
        put(headers, ORIGINAL_OFFSET, java.nio.ByteBuffer.allocate(8).putLong(record.offset()).array());
        put(headers, ORIGINAL_TIMESTAMP, java.nio.ByteBuffer.allocate(8).putLong(record.timestamp()).array());
        if (consumerGroup != null) {
            put(headers, ORIGINAL_CONSUMER_GROUP, text(consumerGroup));
        }
    }

    private static void put(org.apache.kafka.common.header.Headers headers, String name, byte[] value) {
        headers.remove(name);
        headers.add(name, value);
    }

    private static byte[] text(String value) {
        return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
