package com.messagingconnectors.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's delivery metrics ({@code connectors.delivery.*}, tag {@code channel}), in one place so the names a
 * dashboard or alert uses are all here: attempts by outcome/reason/status, dead letters by reason, skipped
 * duplicates, event-to-delivery latency, attempts in flight, records waiting in retry topics, open circuits.
 */
public final class DeliveryMetrics {
    private final MeterRegistry meters;
    private final String channel;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong retryBacklog = new AtomicLong();
    private final AtomicInteger circuitsOpen = new AtomicInteger();
    private final Timer latency;
    private final Counter skipped;

    public DeliveryMetrics(MeterRegistry meters, String channel) {
        this.meters = meters;
        this.channel = channel;
        List<Tag> tags = List.of(Tag.of("channel", channel));
        meters.gauge("connectors.delivery.in_flight", tags, inFlight);
        meters.gauge("connectors.delivery.retry_backlog", tags, retryBacklog);
        meters.gauge("connectors.delivery.circuits_open", tags, circuitsOpen);
        this.latency = Timer.builder("connectors.delivery.latency").description("event occurred → delivered")
                .tag("channel", channel).publishPercentileHistogram().register(meters);
        this.skipped = Counter.builder("connectors.delivery.skipped").tag("channel", channel)
                .tag("reason", "already_delivered").register(meters);
    }

    /**
     * One attempt's outcome ({@code delivered}, {@code retryable}, {@code permanent}); {@code status} is the HTTP
     * status of a failure, "2xx" for a delivery, "none" when there was no answer.
     */
    public void attempt(String outcome, String reason, int httpStatus) {
        String status = outcome.equals("delivered") ? "2xx" : httpStatus > 0 ? Integer.toString(httpStatus) : "none";
        Counter.builder("connectors.delivery.attempts").tag("channel", channel).tag("outcome", outcome)
                .tag("reason", reason).tag("status", status).register(meters).increment();
    }

    public void deadLettered(String reason) {
        Counter.builder("connectors.delivery.dead_lettered").tag("channel", channel).tag("reason", reason)
                .register(meters).increment();
    }

    public void skipped() {
        skipped.increment();
    }

    public void latency(Duration sinceEvent) {
        latency.record(sinceEvent);
    }

    public void attemptStarted() {
        inFlight.incrementAndGet();
    }

    public void attemptEnded() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void retryBacklog(long records) {
        retryBacklog.set(records);
    }

    public void circuitsOpen(int count) {
        circuitsOpen.set(count);
    }
}
