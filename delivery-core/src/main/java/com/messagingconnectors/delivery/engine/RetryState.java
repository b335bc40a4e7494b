package com.messagingconnectors.delivery.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The delivery state a record carries in headers through the retry topics (text values): which attempt comes next,
 * not before when, when the first attempt was, where the notification was first read, and the last error.
 * Records on the main topic carry none of it (a replayed record starts afresh).
 */
public record RetryState(int attempt, Instant notBefore, Instant firstAttempt, String originalTopic,
                         int originalPartition, long originalOffset, String lastError) {
    public static final String PREFIX = "connectors-delivery-";
    public static final String ATTEMPT = PREFIX + "attempt";
    public static final String NOT_BEFORE = PREFIX + "not-before";
    public static final String FIRST_ATTEMPT = PREFIX + "first-attempt";
    public static final String ORIGINAL_TOPIC = PREFIX + "original-topic";
    public static final String ORIGINAL_PARTITION = PREFIX + "original-partition";
    public static final String ORIGINAL_OFFSET = PREFIX + "original-offset";
    public static final String LAST_ERROR = PREFIX + "last-error";

    /** The state of a record read from the main topic (attempt 1) or a retry topic (from its headers). */
    public static RetryState of(ConsumerRecord<?, ?> record, boolean fromRetryTopic, Instant now) {
        Headers headers = record.headers();
        if (!fromRetryTopic || text(headers, ATTEMPT) == null) {
            return new RetryState(1, now, null, record.topic(), record.partition(), record.offset(), null);
        }
        return new RetryState(Integer.parseInt(text(headers, ATTEMPT)),
                Instant.ofEpochMilli(Long.parseLong(text(headers, NOT_BEFORE))),
                Instant.ofEpochMilli(Long.parseLong(text(headers, FIRST_ATTEMPT))), text(headers, ORIGINAL_TOPIC),
                Integer.parseInt(text(headers, ORIGINAL_PARTITION)), Long.parseLong(text(headers, ORIGINAL_OFFSET)),
                text(headers, LAST_ERROR));
    }

    /** Replaces the state headers. */
    public void writeTo(Headers headers) {
        removeFrom(headers);
        put(headers, ATTEMPT, Integer.toString(attempt));
        put(headers, NOT_BEFORE, Long.toString(notBefore.toEpochMilli()));
        put(headers, FIRST_ATTEMPT, Long.toString(firstAttempt.toEpochMilli()));
        put(headers, ORIGINAL_TOPIC, originalTopic);
        put(headers, ORIGINAL_PARTITION, Integer.toString(originalPartition));
        put(headers, ORIGINAL_OFFSET, Long.toString(originalOffset));
        if (lastError != null) {
            put(headers, LAST_ERROR, lastError);
        }
    }

    public static void removeFrom(Headers headers) {
        for (String name : new String[] {ATTEMPT, NOT_BEFORE, FIRST_ATTEMPT, ORIGINAL_TOPIC, ORIGINAL_PARTITION,
                ORIGINAL_OFFSET, LAST_ERROR}) {
            headers.remove(name);
        }
    }

    static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
