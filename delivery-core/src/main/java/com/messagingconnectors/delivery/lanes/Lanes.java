package com.messagingconnectors.delivery.lanes;

import com.messagingconnectors.delivery.RateLimit;
import com.messagingconnectors.delivery.intake.Taken;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane per destination id, so a slow or failing destination never holds up the others: a lane runs at most
 * {@code concurrency} attempts at once (each on its own virtual thread), queues up to {@code queueCapacity} more, and
 * parks the rest in a retry topic; while its {@link CircuitBreaker} is open everything of it is parked. A lane exists
 * only while it has work, remembers failures, or its {@link TokenBucket} has not refilled: a destination's rate limit
 * must hold across idle gaps too (one message a second means one a second, not one per burst after each pause), so a
 * lane whose bucket is still paying off is kept and swept away once it has refilled. Thread-safe: the poll thread
 * submits, attempt threads finish.
 */
public final class Lanes {
    private static final Logger log = LoggerFactory.getLogger(Lanes.class);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    /** Runs one attempt to its end (its outcome written); called on the attempt's own virtual thread. */
    public interface Attempts {
        void attempt(Taken work);
    }

    /** Parks a record in a retry topic without counting an attempt: it comes back after {@code delay}. */
    public interface Parking {
        void park(Taken work, Duration delay, String why);
    }

    /**
     * @param concurrency      attempts in flight per destination
     * @param queueCapacity    records waiting per destination before further ones are parked
     * @param failureThreshold consecutive failures that open a destination's circuit
     * @param openFor          how long an open circuit parks the destination
     * @param disableAfter     a destination failing every attempt this long is reported long-failing, once
     * @param busyParkFor      how long a record is parked when its lane is full
     */
    public record Settings(int concurrency, int queueCapacity, int failureThreshold, Duration openFor,
                           Duration disableAfter, Duration busyParkFor) {
    }

    /** What a failure did to its destination: opened the circuit, and/or it has been failing for too long. */
    public record Failure(boolean circuitOpened, boolean longFailing) {
    }

    private static final class Lane {
        final ArrayDeque<Taken> queue = new ArrayDeque<>();
        final CircuitBreaker circuit;
        final TokenBucket bucket;
        int inFlight;
        Instant lastSuccess;
        Instant failingSince;
        boolean longFailingReported;

        Lane(CircuitBreaker circuit, TokenBucket bucket) {
            this.circuit = circuit;
            this.bucket = bucket;
        }

        boolean idle(Instant now) {
            return inFlight == 0 && queue.isEmpty() && circuit.healthy() && failingSince == null
                    && bucket.fullAt(now);
        }
    }

    private final Settings settings;
    private final RateLimit rateLimit;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final Parking parking;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** When idle lanes kept only for their rate limit are next looked for (at most once a second). */
    private Instant nextSweep = Instant.MIN;
    private Attempts attempts;
    private Consumer<Error> fatal;
    private volatile boolean stopping;

    public Lanes(Settings settings, RateLimit rateLimit, Clock clock, DeliveryMetrics metrics, Parking parking) {
        this.settings = settings;
        this.rateLimit = rateLimit;
        this.clock = clock;
        this.metrics = metrics;
        this.parking = parking;
    }

    /**
     * Who runs the attempts, and who hears of an {@link Error} thrown by one (out of memory and the like: the process
     * cannot be trusted to deliver any more). Set once, before the first record is submitted.
     */
    public void runAttemptsWith(Attempts attempts, Consumer<Error> fatal) {
        this.attempts = attempts;
        this.fatal = fatal;
    }

    /** Starts the record's attempt now, queues it behind its destination's attempts, or parks it. */
    public void submit(Taken work) {
        Instant now = clock.instant();
        Taken start = null;
        Duration park = null;
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(work.destinationId(), id -> newLane());
            if (lane.circuit.isOpen(now)) {
                park = Duration.between(now, lane.circuit.openUntil());
            } else if (lane.inFlight < settings.concurrency()) {
                lane.inFlight++;
                start = work;
            } else if (lane.queue.size() < settings.queueCapacity()) {
                lane.queue.add(work);
            } else {
                park = settings.busyParkFor();
            }
            removeIfIdle(work.destinationId(), lane, now);
            sweep(now);
        }
        if (start != null) {
            start(start);
        } else if (park != null) {
            parking.park(work, park, "destination busy or circuit open");
        }
    }

    /** Waits (on the attempt's virtual thread) for a permit of the destination's rate limit. */
    public void awaitPermit(String destinationId) {
        if (!rateLimit.limited()) {
            return;
        }
        TokenBucket bucket;
        synchronized (lanes) {
            bucket = lanes.get(destinationId).bucket;
        }
        long waitNanos = bucket.take().toNanos();
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos); // a virtual thread of this destination only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The destination accepted a notification: its circuit closes and its failures are forgotten. */
    public void succeeded(String destinationId) {
        Instant now = clock.instant();
        synchronized (lanes) {
            Lane lane = lanes.get(destinationId);
            lane.circuit.success();
            lane.failingSince = null;
            lane.longFailingReported = false;
            lane.lastSuccess = now;
        }
    }

    /**
     * A retryable failure of the destination, for a notification first attempted at {@code firstAttempt}: may open
     * its circuit, and says once when the destination has failed every attempt for {@code disableAfter}.
     */
    public Failure failed(String destinationId, Instant firstAttempt) {
        Instant now = clock.instant();
        synchronized (lanes) {
            Lane lane = lanes.get(destinationId);
            boolean opened = lane.circuit.failure(now);
            Instant since = lane.lastSuccess != null && lane.lastSuccess.isAfter(firstAttempt) ? lane.lastSuccess
                    : firstAttempt;
            lane.failingSince = lane.failingSince == null || since.isBefore(lane.failingSince) ? since
                    : lane.failingSince;
            boolean longFailing = false;
            if (!lane.longFailingReported && !lane.failingSince.plus(settings.disableAfter()).isAfter(now)) {
                lane.longFailingReported = true;
                longFailing = true;
            }
            metrics.circuitsOpen((int) lanes.values().stream().filter(l -> l.circuit.isOpen(now)).count());
            if (opened) {
                log.warn("circuit open destination={} for {} after {} consecutive failures", destinationId,
                        settings.openFor(), settings.failureThreshold());
            }
            return new Failure(opened, longFailing);
        }
    }

    /** From now on queued records are not started: they stay uncommitted and are redelivered after the restart. */
    public void stop() {
        stopping = true;
    }

    private Lane newLane() {
        return new Lane(new CircuitBreaker(settings.failureThreshold(), settings.openFor()),
                new TokenBucket(rateLimit, clock));
    }

    private void removeIfIdle(String destinationId, Lane lane, Instant now) {
        if (lane.idle(now)) {
            lanes.remove(destinationId);
        }
    }

    /** Forgets the lanes that became idle since their last record (buckets refilled meanwhile); caller holds the lock. */
    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_EVERY);
        lanes.values().removeIf(lane -> lane.idle(now));
    }

    /** Number of lanes held (destinations with work, failures or an unrefilled rate limit). */
    int size() {
        synchronized (lanes) {
            return lanes.size();
        }
    }

    private void start(Taken work) {
        metrics.attemptStarted();
        Thread.ofVirtual().name("deliver-" + work.destinationId()).start(() -> {
            try {
                attempts.attempt(work);
            } catch (RuntimeException e) {
                log.error("delivery attempt of notificationId={} failed unexpectedly; it stays uncommitted: {}",
                        work.notification().getNotificationId(), e.toString(), e);
            } catch (Error e) {
                fatal.accept(e);
            } finally {
                metrics.attemptEnded();
                finished(work);
            }
        });
    }

    /** Frees the lane's slot and starts its next record (or parks its queue when the circuit opened). */
    private void finished(Taken work) {
        Instant now = clock.instant();
        List<Taken> toPark = new ArrayList<>();
        Taken next = null;
        Duration parkFor = null;
        synchronized (lanes) {
            Lane lane = lanes.get(work.destinationId());
            lane.inFlight--;
            if (lane.circuit.isOpen(now)) {
                toPark.addAll(lane.queue);
                lane.queue.clear();
                parkFor = Duration.between(now, lane.circuit.openUntil());
            } else {
                while (!lane.queue.isEmpty() && next == null) {
                    Taken candidate = lane.queue.poll();
                    if (!stopping && candidate.stillOwned()) {
                        next = candidate;
                    }
                }
                if (next != null) {
                    lane.inFlight++;
                }
            }
            removeIfIdle(work.destinationId(), lane, now);
        }
        for (Taken parked : toPark) {
            parking.park(parked, parkFor, "circuit open");
        }
        if (next != null) {
            start(next);
        }
    }
}
