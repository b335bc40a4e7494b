package com.messagingconnectors.config.model;

import java.time.Instant;

/** A snooze: nothing is delivered until {@code until}; matching events are counted, not dead-lettered. */
public record Mute(Instant until, String reason) {
    public boolean activeAt(Instant now) {
        return until != null && now.isBefore(until);
    }
}
