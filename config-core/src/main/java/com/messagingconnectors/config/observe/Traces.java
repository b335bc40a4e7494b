package com.messagingconnectors.config.observe;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}) carried hop by hop: HTTP request into ingest, platform.events, the router,
 * notifications.*, retry and dead-letter topics (they copy headers), replays, and the outgoing webhook request.
 *
 * <p>A hop is opened where work on one event starts ({@link #hop(String, Headers)}), is current on that thread until
 * closed, and gives the headers to put on what it produces. With Micrometer Tracing in the application (see
 * {@link TracingAutoConfiguration}), each hop is a span, child of the incoming context, and what it writes names that
 * span; without it the incoming {@code traceparent} is passed on unchanged, so the trace id still follows the event.
 * An event that arrives without one gets a new, unsampled trace id at its first hop.
 *
 * <p>While a hop is open, its trace id and the ids given to {@link Hop#with} are in the logging MDC, so every log line
 * of that work carries them as fields (structured logging writes MDC entries as JSON fields).
 */
public final class Traces {
    public static final String TRACEPARENT = "traceparent";
    /** version 00, trace id, parent span id, flags; all-zero ids are invalid (W3C Trace Context, section 3.2). */
    private static final Pattern VALID = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
    /** The MDC key Micrometer Tracing uses too. */
    public static final String MDC_TRACE_ID = "traceId";
    private static final ThreadLocal<Hop> CURRENT = new ThreadLocal<>();
    private static volatile Spans spans = Traces::passThrough;

    private Traces() {
    }

    /** Opens a hop for work on a record (its headers may carry a traceparent). */
    public static Hop hop(String name, Headers incoming) {
        Header header = incoming == null ? null : incoming.lastHeader(TRACEPARENT);
        return hop(name, header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }

    /** Opens a hop for work whose caller sent {@code traceparent} (null or malformed: a new trace). */
    public static Hop hop(String name, String traceparent) {
        String parent = traceparent != null && VALID.matcher(traceparent).matches() ? traceparent : null;
        Hop hop = spans.open(name, parent);
        hop.previous = CURRENT.get();
        CURRENT.set(hop);
        return hop.with(MDC_TRACE_ID, hop.traceId());
    }

    /** Puts {@code key} into the logging MDC until the hop open on this thread closes (no hop: nothing). */
    public static void logField(String key, String value) {
        Hop hop = CURRENT.get();
        if (hop != null) {
            hop.with(key, value);
        }
    }

    /** The traceparent of the hop open on this thread (e.g. for an outgoing HTTP request's header). */
    public static Optional<String> currentTraceparent() {
        Hop hop = CURRENT.get();
        return hop == null ? Optional.empty() : Optional.of(hop.traceparent());
    }

    /** Headers for a record produced inside the open hop: {@code base} (copied) plus this hop's traceparent. */
    public static Headers currentHeaders(Headers base) {
        Headers headers = new RecordHeaders(base == null ? new Header[0] : base.toArray());
        currentTraceparent().ifPresent(tp -> {
            headers.remove(TRACEPARENT);
            headers.add(TRACEPARENT, tp.getBytes(StandardCharsets.UTF_8));
        });
        return headers;
    }

    /** The trace id (32 hex digits) of a traceparent. */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    static void use(Spans implementation) {
        spans = implementation;
    }

    static Spans current() {
        return spans;
    }

    static void reset() {
        spans = Traces::passThrough;
    }

    private static Hop passThrough(String name, String parent) {
        return new Hop(parent != null ? parent : newUnsampled(), () -> { });
    }

    static String newUnsampled() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "00-%016x%016x-%016x-00".formatted(random.nextLong() | 1, random.nextLong(), random.nextLong() | 1);
    }

    /** Turns a hop into a span: {@code parent} is a valid traceparent or null (then: child of the current span). */
    @FunctionalInterface
    interface Spans {
        Hop open(String name, String parent);
    }

    /** One hop of one event's trace; close it where the work ends (try-with-resources). */
    public static final class Hop implements AutoCloseable {
        private final String traceparent;
        private final Runnable end;
        /** MDC entries this hop set, with the values they replaced (null: absent before). */
        private final Map<String, String> replacedMdc = new HashMap<>();
        private Hop previous;

        Hop(String traceparent, Runnable end) {
            this.traceparent = traceparent;
            this.end = end;
        }

        public String traceparent() {
            return traceparent;
        }

        public String traceId() {
            return Traces.traceId(traceparent);
        }

        /** Puts {@code key} (e.g. "event.id") into the logging MDC until this hop closes; null values are skipped. */
        public Hop with(String key, String value) {
            if (value != null) {
                String old = MDC.get(key);
                replacedMdc.putIfAbsent(key, old);
                MDC.put(key, value);
            }
            return this;
        }

        @Override
        public void close() {
            replacedMdc.forEach((key, old) -> {
                if (old == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, old);
                }
            });
            end.run();
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
