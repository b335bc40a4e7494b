package com.messagingconnectors.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The per-key rate limit ({@code ingest.rate-limit.*}): a token bucket per API key (Bucket4j), one token per event.
 * Over it a request gets 429 with Retry-After (the seconds until enough tokens are back), counted in
 * {@code connectors.ingest.rate_limited}. Buckets live in memory, per ingest instance.
 *
 * <p>A bucket left alone long enough to refill completely is the same as a new one, so it is dropped then: memory
 * holds only the keys seen within that time, and never more than {@value #MAX_KEYS} of them.
 */
@Component
public class IngestRateLimiter {
    static final String METRIC = "connectors.ingest.rate_limited";
    static final long MAX_KEYS = 100_000;

    private final IngestProperties.RateLimit settings;
    private final Cache<String, Bucket> buckets;
    private final Counter rateLimited;

    public IngestRateLimiter(IngestProperties properties, MeterRegistry meters) {
        this.settings = properties.rateLimit();
        if (settings.enabled() && (settings.eventsPerSecond() < 1 || settings.burst() < properties.maxBatchEvents())) {
            throw new IllegalStateException("ingest.rate-limit.events-per-second must be at least 1 (is "
                    + settings.eventsPerSecond() + ") and ingest.rate-limit.burst at least ingest.max-batch-events ("
                    + properties.maxBatchEvents() + ", is " + settings.burst() + "), or a full batch could never be "
                    + "accepted; or set ingest.rate-limit.enabled=false");
        }
        Duration fullRefill = Duration.ofNanos(
                (long) Math.ceil(settings.burst() * 1e9 / Math.max(1, settings.eventsPerSecond())));
        this.buckets = Caffeine.newBuilder().expireAfterAccess(fullRefill).maximumSize(MAX_KEYS).build();
        this.rateLimited = Counter.builder(METRIC)
                .description("Requests refused with 429 because their API key was over its rate limit")
                .register(meters);
    }

    /**
     * Takes {@code events} tokens from the caller's bucket.
     *
     * @throws IngestProblem 429 {@code rate_limited} with Retry-After when the bucket has fewer
     */
    public void take(HttpServletRequest request, int events) {
        if (!settings.enabled() || events < 1) {
            return;
        }
        String key = CallerKey.of(request);
        // no caller: authentication refuses the request anyway
        if (key == null || (key.equals(CallerKey.OPERATOR) && !settings.limitOperatorKey())) {
            return;
        }
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(events);
        if (!probe.isConsumed()) {
            rateLimited.increment();
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
            throw new IngestProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "this API key may send "
                    + settings.eventsPerSecond() + " events per second (bursts of up to " + settings.burst()
                    + "); nothing was published — retry after the Retry-After delay (" + seconds
                    + " s) with the same event id(s)", List.of(), Duration.ofSeconds(seconds), events);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(limit -> limit.capacity(settings.burst())
                .refillGreedy(settings.eventsPerSecond(), Duration.ofSeconds(1))).build();
    }
}
