package com.messagingconnectors.config.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one report per key (an integration) per interval: the periodic reports on connectors.status ("delivered"
 * by the senders, "muted" by the router) would otherwise be one record per event. Thread-safe.
 */
public final class ReportThrottle {
    private final Duration interval;
    private final Map<String, Instant> lastReport = new ConcurrentHashMap<>();

    public ReportThrottle(Duration interval) {
        this.interval = interval;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * True when nothing was reported for {@code key} within the interval before {@code now}; {@code now} then counts as
     * its last report, so the caller must report.
     */
    public boolean tryReport(String key, Instant now) {
        boolean[] due = {false};
        lastReport.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(interval))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        return due[0];
    }
}
