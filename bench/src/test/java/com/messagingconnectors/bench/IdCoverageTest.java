package com.messagingconnectors.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdCoverageTest {

    @Test
    void everyIdOnceIsCompleteAndRepeatsAndOtherIdsAreCountedApart() {
        IdCoverage coverage = new IdCoverage();
        for (String id : List.of("a", "b", "c")) {
            coverage.expect(id, null);
        }
        coverage.read(List.of("a"), 10);
        coverage.read(List.of("b", "c", "x"), 20);
        assertTrue(coverage.complete());
        assertEquals(3, coverage.covered());
        assertEquals(0, coverage.missing());
        assertEquals(2, coverage.messages());
        assertEquals(1, coverage.foreign());
        assertEquals(20, coverage.lastCoveredNanos());

        coverage.read(List.of("b", "y"), 30);
        assertEquals(1, coverage.duplicates());
        assertEquals(3, coverage.covered());
        assertEquals(20, coverage.lastCoveredNanos(), "a repeat covers nothing new");
    }

    @Test
    void aMissingIdKeepsItIncomplete() {
        IdCoverage coverage = new IdCoverage();
        coverage.expect("a", null);
        coverage.expect("b", null);
        coverage.read(List.of("a", "a"), 5);
        assertFalse(coverage.complete());
        assertEquals(1, coverage.missing());
        assertEquals(1, coverage.duplicates());
    }

    @Test
    void latencyIsAckToFirstReadWhicheverIsSeenFirst() {
        IdCoverage coverage = new IdCoverage();
        LatencyStats latency = new LatencyStats();
        coverage.expect("acked-first", latency);
        coverage.expect("read-first", latency);
        coverage.acked("acked-first", 1_000_000);
        coverage.read(List.of("acked-first"), 5_000_000);
        coverage.read(List.of("read-first"), 9_000_000);
        assertEquals(1, latency.count(), "not acknowledged yet");
        coverage.acked("read-first", 8_000_000);
        coverage.read(List.of("acked-first"), 50_000_000);
        assertEquals(2, latency.count());
        assertEquals(4.0, latency.maxMillis(), 0.01);
        assertEquals(1.0, latency.percentileMillis(1), 0.01);
    }
}
