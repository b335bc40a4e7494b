package com.messagingconnectors.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Load shedding: a bound on the memory that requests in flight may hold (their body plus what parsing, the Avro
 * record and the wait for Kafka's acknowledgement cost, estimated as {@value #OVERHEAD_BYTES} bytes a request).
 * Beyond {@code ingest.max-in-flight} a request is refused at once with 503 and Retry-After instead of queueing:
 * without the bound an overload (clients sending faster than the broker or the CPU can take) piled up requests until
 * the JVM ran out of memory and answered nothing at all.
 */
@Component
public class IngestAdmission {
    static final long OVERHEAD_BYTES = 16 * 1024;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore kibibytes;
    private final int capacityKib;
    private final long unknownLengthBytes;

    public IngestAdmission(IngestProperties properties, MeterRegistry meters) {
        this.capacityKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, properties.maxInFlight().toKilobytes()));
        this.kibibytes = new Semaphore(capacityKib);
        this.unknownLengthBytes = properties.maxBatchBytes().toBytes();
        Gauge.builder("connectors.ingest.in_flight_bytes", this, admission -> admission.inFlightBytes())
                .description("Estimated memory held by requests in flight (body + per-request overhead)")
                .baseUnit("bytes").register(meters);
    }

    /** A request's share of the budget; close it when the request is answered. */
    public final class Ticket implements AutoCloseable {
        private final int kib;

        private Ticket(int kib) {
            this.kib = kib;
        }

        @Override
        public void close() {
            kibibytes.release(kib);
        }
    }

    /** Admits the request or throws a 503 problem (reason {@code overloaded}). */
    public Ticket admit(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        long bytes = (length < 0 ? unknownLengthBytes : length) + OVERHEAD_BYTES;
        int kib = (int) Math.min(capacityKib, (bytes + 1023) / 1024);
        if (!kibibytes.tryAcquire(kib)) {
            throw new IngestProblem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "ingest-service has as many "
                    + "requests in flight as its memory budget allows (ingest.max-in-flight); nothing was published "
                    + "— retry after the Retry-After delay with the same event id(s)", List.of(), RETRY_AFTER, 1);
        }
        return new Ticket(kib);
    }

    long inFlightBytes() {
        return (long) (capacityKib - kibibytes.availablePermits()) * 1024;
    }
}
