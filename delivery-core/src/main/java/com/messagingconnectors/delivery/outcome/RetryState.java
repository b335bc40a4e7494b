package com.messagingconnectors.delivery.outcome;

import com.messagingconnectors.schemas.DeliveryHeaders;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The delivery state a record carries in headers through the retry topics (text values): which attempt comes next,
 * not before when, when the first attempt was, where the notification was first read, and the last error.
 * Records on the main topic carry none of it (a replayed record starts afresh). Header names: {@link DeliveryHeaders}.
 */
public record RetryState(int attempt, Instant notBefore, Instant firstAttempt, String originalTopic,
                         int originalPartition, long originalOffset, String lastError) {
    private static final String ATTEMPT = DeliveryHeaders.RETRY_ATTEMPT;
    private static final String NOT_BEFORE = DeliveryHeaders.RETRY_NOT_BEFORE;
    private static final String FIRST_ATTEMPT = DeliveryHeaders.RETRY_FIRST_ATTEMPT;
    private static final String ORIGINAL_TOPIC = DeliveryHeaders.RETRY_ORIGINAL_TOPIC;
    private static final String ORIGINAL_PARTITION = DeliveryHeaders.RETRY_ORIGINAL_PARTITION;
    private static final String ORIGINAL_OFFSET = DeliveryHeaders.RETRY_ORIGINAL_OFFSET;
    private static final String LAST_ERROR = DeliveryHeaders.RETRY_LAST_ERROR;

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

    private static void put(Headers headers, String name, String value) {
        DeliveryHeaders.putText(headers, name, value);
    }

    private static String text(Headers headers, String name) {
        return DeliveryHeaders.text(headers, name);
    }

    /** When a record of a retry topic is due, or null when it carries no state (a record of the channel topic). */
    public static Instant notBefore(Headers headers) {
        String text = text(headers, NOT_BEFORE);
        return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
    }
}
