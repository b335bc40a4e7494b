package com.messagingconnectors.delivery;

/** A token bucket per destination: {@code permitsPerSecond} sustained, {@code burst} at once. */
public record RateLimit(double permitsPerSecond, int burst) {
    public static final RateLimit NONE = new RateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

    public boolean limited() {
        return !Double.isInfinite(permitsPerSecond);
    }
}
