package com.messagingconnectors.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies of one measured phase, recorded from many threads at once.
 * HdrHistogram keeps 3 significant digits in constant memory, so percentiles are exact to 0.1 %.
 */
public final class LatencyStats {

    /** Longest latency the histogram tracks without resizing: 10 minutes, in microseconds. */
    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Histogram micros = new ConcurrentHistogram(1, HIGHEST_TRACKABLE_MICROS, 3);

    public void recordNanos(long nanos) {
        long value = Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos));
        micros.recordValue(Math.min(value, HIGHEST_TRACKABLE_MICROS));
    }

    public long count() {
        return micros.getTotalCount();
    }

    /** The latency, in milliseconds, that {@code percentile} % of the recorded requests did not exceed. */
    public double percentileMillis(double percentile) {
        return count() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMillis() {
        return count() == 0 ? 0 : micros.getMaxValue() / 1000.0;
    }

    public double meanMillis() {
        return count() == 0 ? 0 : micros.getMean() / 1000.0;
    }

    /** e.g. "p50 3.10 ms, p99 12.40 ms, max 40.20 ms (mean 4.00 ms)". */
    public String summary() {
        return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (mean %.2f ms)",
                percentileMillis(50), percentileMillis(99), maxMillis(), meanMillis());
    }
}
