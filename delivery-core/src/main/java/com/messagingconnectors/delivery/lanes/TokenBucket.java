package com.messagingconnectors.delivery.lanes;

import com.messagingconnectors.delivery.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A destination's rate limit: {@code permitsPerSecond} sustained, {@code burst} at once. Taking a permit never fails;
 * it says how long the caller must wait for it (the debt is kept, so callers queue up fairly).
 */
public final class TokenBucket {
    private final RateLimit limit;
    private final Clock clock;
    private double tokens;
    private Instant refilledAt;

    public TokenBucket(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.tokens = limit.burst();
        this.refilledAt = clock.instant();
    }

    /** Takes one permit; returns how long to wait before using it (zero when one was available). */
    public synchronized Duration take() {
        if (!limit.limited()) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        double elapsedSeconds = Math.max(0, Duration.between(refilledAt, now).toNanos() / 1e9);
        tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.permitsPerSecond());
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / limit.permitsPerSecond() * 1e9));
    }

    /**
     * True when the bucket would be back at its burst at {@code now}: forgetting it then changes nothing, because a
     * new bucket starts full. Before that, forgetting it would hand out permits the limit has not earned yet.
     */
    public synchronized boolean fullAt(Instant now) {
        if (!limit.limited()) {
            return true;
        }
        double elapsedSeconds = Math.max(0, Duration.between(refilledAt, now).toNanos() / 1e9);
        return tokens + elapsedSeconds * limit.permitsPerSecond() >= limit.burst();
    }
}
