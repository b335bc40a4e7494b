package com.messagingconnectors.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesOfOneToThousandMillisecondsAreTheExpectedRanks() {
        LatencyStats stats = new LatencyStats();
        // recorded in shuffled order: percentiles must not depend on arrival order
        IntStream.rangeClosed(1, 1000).map(i -> (i * 7919) % 1000 + 1)
                .forEach(ms -> stats.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms)));

        assertEquals(1000, stats.count());
        assertEquals(500.0, stats.percentileMillis(50), 0.5);   // 3 significant digits: within 0.1 %
        assertEquals(990.0, stats.percentileMillis(99), 1.0);
        assertEquals(1000.0, stats.maxMillis(), 1.0);
        assertEquals(500.5, stats.meanMillis(), 0.5);
    }

    @Test
    void oneSlowRequestShowsInTheMaximumButNotInTheMedian() {
        LatencyStats stats = new LatencyStats();
        IntStream.range(0, 999).forEach(i -> stats.recordNanos(TimeUnit.MILLISECONDS.toNanos(2)));
        stats.recordNanos(TimeUnit.SECONDS.toNanos(3));

        assertEquals(2.0, stats.percentileMillis(50), 0.01);
        assertEquals(2.0, stats.percentileMillis(99), 0.01);
        assertEquals(3000.0, stats.maxMillis(), 3.0);
    }

    @Test
    void noRequestsGiveZeroesInsteadOfFailing() {
        LatencyStats stats = new LatencyStats();
        assertEquals(0, stats.count());
        assertEquals(0.0, stats.percentileMillis(99));
        assertEquals("p50 0.00 ms, p99 0.00 ms, max 0.00 ms (mean 0.00 ms)", stats.summary());
    }
}
