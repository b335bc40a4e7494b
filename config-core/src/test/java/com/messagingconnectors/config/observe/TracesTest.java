package com.messagingconnectors.config.observe;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace hops without a tracer: the caller's trace id passes through, bad input starts a new trace. */
class TracesTest {
    static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    // a Spring context cached by another test of this JVM may have installed a tracer: run without it, then put it back
    private Traces.Spans before;

    @BeforeEach
    void withoutTracer() {
        before = Traces.current();
        Traces.reset();
    }

    @AfterEach
    void restoreTracer() {
        Traces.use(before);
    }

    @Test
    void aRecordsTraceparentIsWhatTheHopWritesAndLogs() {
        RecordHeaders incoming = new RecordHeaders();
        incoming.add(Traces.TRACEPARENT, CALLER.getBytes(StandardCharsets.UTF_8));
        try (Traces.Hop hop = Traces.hop("route", incoming).with("event.id", "e-1")) {
            assertThat(Traces.currentTraceparent()).contains(CALLER);
            assertThat(new String(Traces.currentHeaders(null).lastHeader(Traces.TRACEPARENT).value(),
                    StandardCharsets.UTF_8)).isEqualTo(CALLER);
            assertThat(MDC.get(Traces.MDC_TRACE_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(MDC.get("event.id")).isEqualTo("e-1");
        }
        assertThat(Traces.currentTraceparent()).isEmpty();
        assertThat(MDC.get("event.id")).isNull();
        assertThat(MDC.get(Traces.MDC_TRACE_ID)).isNull();
    }

    @Test
    void malformedOrAllZeroTraceparentsStartANewTrace() {
        for (String bad : new String[] {"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                CALLER + "-extra", CALLER.toUpperCase(), null}) {
            try (Traces.Hop hop = Traces.hop("ingest", bad)) {
                assertThat(hop.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").isNotEqualTo(bad);
            }
        }
    }
}
