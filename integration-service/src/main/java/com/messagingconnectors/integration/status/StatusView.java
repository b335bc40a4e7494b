package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.model.StatusReport;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * An integration's status, folded from connectors.status.
 *
 * @param mutedEvents events its mutes (the integration's or a rule's) kept from its channels: not delivered, not
 *                    dead-lettered, counted here
 */
public record StatusView(
        @Schema(description = "connected, disconnected or unhealthy") String state,
        @Schema(description = "what went wrong last, while not connected") String lastError,
        Instant lastErrorAt,
        @Schema(description = "when a notification was last delivered") Instant lastDeliveredAt,
        @Schema(description = "how many events a mute (the integration's or one of its rules') held back:"
                + " counted, not delivered, not dead-lettered") long mutedEvents,
        @Schema(description = "when an event was last muted; absent when none was", nullable = true)
        Instant lastMutedAt) {
    /** Before any report: connected, nothing delivered, nothing muted. */
    public static final StatusView INITIAL = new StatusView(StatusReport.CONNECTED, null, null, null, 0, null);
}
