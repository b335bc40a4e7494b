package com.messagingconnectors.config.status;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic status reports: the first of an integration at once, then at most one per interval, per integration. */
class ReportThrottleTest {
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void atMostOneReportPerIntervalAndIntegration() {
        ReportThrottle throttle = new ReportThrottle(Duration.ofSeconds(5));
        assertThat(throttle.tryReport("int_a", T0)).isTrue();
        assertThat(throttle.tryReport("int_a", T0.plusSeconds(1))).isFalse();
        assertThat(throttle.tryReport("int_b", T0.plusSeconds(1))).as("another integration has its own").isTrue();
        assertThat(throttle.tryReport("int_a", T0.plusMillis(4_999))).isFalse();
        assertThat(throttle.tryReport("int_a", T0.plusSeconds(5))).isTrue();
        // the interval counts from the last report made, not from the refused attempts
        assertThat(throttle.tryReport("int_a", T0.plusSeconds(9))).isFalse();
        assertThat(throttle.tryReport("int_a", T0.plusSeconds(10))).isTrue();
    }
}
