package com.messagingconnectors.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProducerPerformanceResultTest {

    @Test
    void readsTheFinalSummaryAndIgnoresProgressLines() {
        List<String> output = List.of(
                "300121 records sent, 60012.2 records/sec (58.61 MB/sec), 412.3 ms avg latency, 900.0 ms max latency.",
                "1000000 records sent, 61050.1 records/sec (59.62 MB/sec), 480.22 ms avg latency, 912.00 ms max latency,"
                        + " 470 ms 50th, 800 ms 95th, 880 ms 99th, 905 ms 99.9th.");

        ProducerPerformanceResult result = ProducerPerformanceResult.parse(output).orElseThrow();

        assertEquals(1_000_000, result.records());
        assertEquals(61050.1, result.recordsPerSec());
        assertEquals(59.62, result.mbPerSec());
        assertEquals(480.22, result.avgLatencyMs());
        assertEquals(912.0, result.maxLatencyMs());
        assertEquals(470, result.p50Ms());
        assertEquals(880, result.p99Ms());
        assertEquals(905, result.p999Ms());
    }

    @Test
    void noSummaryLineWhenTheToolFailed() {
        assertTrue(ProducerPerformanceResult.parse(List.of("org.apache.kafka.common.errors.TimeoutException")).isEmpty());
    }
}
