package com.messagingconnectors.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Load shedding: a bound on the memory that requests in flight may hold (their body plus what parsing, the Avro
 * record and the wait for Kafka's acknowledgement cost, estimated as {@value #OVERHEAD_BYTES} bytes a request).
 * Beyond {@code ingest.max-in-flight} a request is refused at once with 503 and Retry-After instead of queueing:
 * without the bound an overload (clients sending faster than the broker or the CPU can take) piled up requests until
 * the JVM ran out of memory and answered nothing at all.
 *
 * <p>A body of declared length is charged when the request is admitted; a chunked one as it is read (see
 * {@link Ticket#hold}), so a slow chunked request holds only what it has sent. The requests of one API key together
 * hold at most {@code ingest.max-in-flight-per-key}, so one key cannot take the budget from everybody else.
 */
@Component
public class IngestAdmission {
    static final long OVERHEAD_BYTES = 16 * 1024;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore kibibytes;
    private final int capacityKib;
    private final long perKeyKib;
    /** KiB held per caller key; a key holding nothing has no entry, so the map is as large as the keys in flight */
    private final Map<String, Long> heldByKey = new ConcurrentHashMap<>();

    public IngestAdmission(IngestProperties properties, MeterRegistry meters) {
        this.capacityKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, properties.maxInFlight().toKilobytes()));
        this.kibibytes = new Semaphore(capacityKib);
        this.perKeyKib = Math.max(1, properties.maxInFlightPerKey().toKilobytes());
        Gauge.builder("connectors.ingest.in_flight_bytes", this, admission -> admission.inFlightBytes())
                .description("Estimated memory held by requests in flight (body + per-request overhead)")
                .baseUnit("bytes").register(meters);
    }

    /** A request's share of the budget; close it when the request is answered. */
    public final class Ticket implements AutoCloseable {
        private final String key;
        private int kib;

        private Ticket(String key) {
            this.key = key;
        }

        /**
         * Makes the share cover a body of {@code bodyBytes} (plus the overhead), taking more of the budget if needed.
         *
         * @throws IngestProblem 503 {@code overloaded} when the budget, or this key's part of it, is used up
         */
        public void hold(long bodyBytes) {
            int needed = (int) Math.min(capacityKib, (bodyBytes + OVERHEAD_BYTES + 1023) / 1024);
            if (needed > kib) {
                acquire(key, needed - kib);
                kib = needed;
            }
        }

        @Override
        public void close() {
            release(key, kib);
            kib = 0;
        }
    }

    /** Admits the request (its declared body, or none yet when chunked) or throws a 503 problem ({@code overloaded}). */
    public Ticket admit(HttpServletRequest request) {
        String key = CallerKey.of(request);
        Ticket ticket = new Ticket(key == null ? "" : key);
        ticket.hold(Math.max(0, request.getContentLengthLong()));
        return ticket;
    }

    private void acquire(String key, int kib) {
        if (!kibibytes.tryAcquire(kib)) {
            throw overloaded("ingest-service has as many requests in flight as its memory budget allows "
                    + "(ingest.max-in-flight)");
        }
        boolean[] granted = {false};
        heldByKey.compute(key, (k, held) -> {
            long now = held == null ? 0 : held;
            if (now + kib > perKeyKib) {
                return held;
            }
            granted[0] = true;
            return now + kib;
        });
        if (!granted[0]) {
            kibibytes.release(kib);
            throw overloaded("this API key has as many requests in flight as one key may hold "
                    + "(ingest.max-in-flight-per-key); send fewer requests at once");
        }
    }

    private void release(String key, int kib) {
        if (kib == 0) {
            return;
        }
        heldByKey.computeIfPresent(key, (k, held) -> held - kib <= 0 ? null : held - kib);
        kibibytes.release(kib);
    }

    private static IngestProblem overloaded(String why) {
        return new IngestProblem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", why + "; nothing was published — "
                + "retry after the Retry-After delay with the same event id(s)", List.of(), RETRY_AFTER, 1);
    }

    long inFlightBytes() {
        return (long) (capacityKib - kibibytes.availablePermits()) * 1024;
    }
}
