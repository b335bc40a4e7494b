package com.messagingconnectors.router;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.routing.NotRouted;
import com.messagingconnectors.config.routing.NotRoutedReason;
import com.messagingconnectors.config.status.ReportThrottle;
import com.messagingconnectors.config.status.StatusReports;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells connectors.status how many events each integration's mutes held back: a "muted" {@link StatusReport} with the
 * count since the previous one and the mute that did it, at most once per {@code interval} per integration (the first
 * muted event of a quiet integration is reported at once, the rest are summed until the interval has passed).
 *
 * <p>Counts come only from committed routing transactions ({@link #add}), so an aborted and re-read batch is not
 * counted twice. The reports are sent by a timer thread on their own idempotent producer, not in the event
 * transaction: a transactional producer sends only inside a transaction, and a slow or missing status topic must not
 * hold up routing. A crash loses at most the counts of one interval; nothing is delivered or dead-lettered either way.
 */
final class MutedReports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MutedReports.class);
    private static final Duration MAX_TICK = Duration.ofSeconds(1);

    /** Muted events of one integration not reported yet; {@code message} is the latest mute's explanation. */
    record Muted(String workspaceId, String message, long count) {
        Muted plus(Muted later) {
            return new Muted(workspaceId, later.message, count + later.count);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ReportThrottle throttle;
    private final Clock clock;
    private final Map<String, Muted> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    MutedReports(Producer<byte[], byte[]> producer, String topic, Duration interval, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.throttle = new ReportThrottle(interval);
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("router-muted-status").daemon().factory());
        long tick = Math.max(1, Math.min(interval.toMillis(), MAX_TICK.toMillis()));
        timer.scheduleWithFixedDelay(this::flushDueQuietly, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Counts one event whose delivery {@code muted} (reason {@link NotRoutedReason#muted}) held back. */
    static void count(Map<String, Muted> tally, String workspaceId, NotRouted muted) {
        tally.merge(muted.integrationId(), new Muted(workspaceId, muted.detail(), 1), Muted::plus);
    }

    /** The muted counts of a committed transaction, by integration id. */
    void add(Map<String, Muted> committed) {
        committed.forEach((integrationId, muted) -> pending.merge(integrationId, muted, Muted::plus));
    }

    /** Reports every integration with muted events whose interval has passed. */
    void flushDue() {
        for (String integrationId : pending.keySet()) {
            if (throttle.tryReport(integrationId, clock.instant())) {
                report(integrationId);
            }
        }
    }

    private void flushDueQuietly() {
        try {
            flushDue();
        } catch (RuntimeException e) {
            log.warn("could not report muted counts: {}", e.toString());
        }
    }

    private void report(String integrationId) {
        Muted muted = pending.remove(integrationId);
        if (muted != null) {
            StatusReports.send(producer, topic, new StatusReport(muted.workspaceId(), integrationId, null,
                    StatusReport.MUTED, NotRoutedReason.muted.name(), muted.message(), clock.instant(),
                    muted.count()));
        }
    }

    /** Reports what is still counted, whatever the interval (called after the router's last commit), and stops. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            pending.keySet().forEach(this::report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
