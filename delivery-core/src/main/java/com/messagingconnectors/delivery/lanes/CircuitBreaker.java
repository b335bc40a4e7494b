package com.messagingconnectors.delivery.lanes;

import java.time.Duration;
import java.time.Instant;

/**
 * A destination's circuit: after {@code failureThreshold} consecutive retryable failures it opens for {@code openFor};
 * while open, the destination's notifications are parked instead of attempted. The first attempt after it closes
 * again is the probe: a success resets it, another failure opens it again at once. Not thread-safe (its lane's lock).
 */
public final class CircuitBreaker {
    private final int failureThreshold;
    private final Duration openFor;
    private int consecutiveFailures;
    private Instant openUntil;

    public CircuitBreaker(int failureThreshold, Duration openFor) {
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
    }

    public boolean isOpen(Instant now) {
        return openUntil != null && openUntil.isAfter(now);
    }

    /** Until when it is open (meaningful while {@link #isOpen}). */
    public Instant openUntil() {
        return openUntil;
    }

    public void success() {
        consecutiveFailures = 0;
        openUntil = null;
    }

    /** Counts a failure; true when this failure opened the circuit. */
    public boolean failure(Instant now) {
        consecutiveFailures++;
        if (consecutiveFailures >= failureThreshold && !isOpen(now)) {
            openUntil = now.plus(openFor);
            return true;
        }
        return false;
    }

    /** No failure since the last success: nothing to remember about the destination. */
    public boolean healthy() {
        return consecutiveFailures == 0;
    }
}
