package com.messagingconnectors.events.starter;

import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Publishes platform events to {@code platform.events} through the {@value #BINDING} output binding: checked by
 * ingest's rules first ({@link EventJson#validate}), keyed by workspace id (per-workspace order), written as Avro in
 * the Confluent wire format, and acknowledged by the broker (acks=all, idempotent, synchronous send) before
 * {@link #publish} returns.
 *
 * <pre>{@code
 * events.publish(Events.reportCompleted("ws_acme", "Weekly revenue report finished",
 *         ReportCompleted.newBuilder().setReportId("r-42").setReportName("Weekly revenue").build())
 *     .link("https://app.example.com/reports/r-42"));
 * }</pre>
 */
public class PlatformEvents {
    /** The output binding; its destination is {@code platform.events} unless configured otherwise. */
    public static final String BINDING = "platformEvents-out-0";

    private final StreamBridge bridge;

    public PlatformEvents(StreamBridge bridge) {
        this.bridge = bridge;
    }

    /**
     * Validates and publishes; returns the event as sent (with its generated id and time when they were left out).
     *
     * @throws com.messagingconnectors.schemas.EventValidationException when ingest would refuse the event (nothing is
     *         sent); every problem is listed
     * @throws org.springframework.messaging.MessagingException when the broker or the schema registry did not take
     *         it; publishing again with the same event id is safe (consumers dedupe on it)
     */
    public PlatformEvent publish(PlatformEvent event) {
        PlatformEvent valid = EventJson.validate(event);
        Message<PlatformEvent> message = MessageBuilder.withPayload(valid)
                .setHeader(KafkaHeaders.KEY, valid.getWorkspaceId())
                .build();
        if (!bridge.send(BINDING, message)) {
            throw new org.springframework.messaging.MessageDeliveryException(message,
                    "the " + BINDING + " binding did not take event " + valid.getEventId());
        }
        return valid;
    }

    /** Builds, validates and publishes. */
    public PlatformEvent publish(Events.Builder event) {
        return publish(event.build());
    }
}
