package com.messagingconnectors.delivery.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final TestClock clock = new TestClock();
    private final CircuitBreaker circuit = new CircuitBreaker(3, Duration.ofSeconds(30));

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresForItsDuration() {
        assertThat(circuit.failure(clock.instant())).isFalse();
        assertThat(circuit.failure(clock.instant())).isFalse();
        assertThat(circuit.isOpen(clock.instant())).isFalse();

        assertThat(circuit.failure(clock.instant())).isTrue();
        assertThat(circuit.isOpen(clock.instant())).isTrue();
        assertThat(circuit.openUntil()).isEqualTo(clock.instant().plusSeconds(30));

        clock.advance(Duration.ofSeconds(30));
        assertThat(circuit.isOpen(clock.instant())).isFalse();
    }

    @Test
    void aFailedProbeAfterItClosedOpensItAgainAtOnce() {
        for (int i = 0; i < 3; i++) {
            circuit.failure(clock.instant());
        }
        clock.advance(Duration.ofSeconds(31));

        assertThat(circuit.failure(clock.instant())).isTrue();
        assertThat(circuit.isOpen(clock.instant())).isTrue();
    }

    @Test
    void aSuccessClosesItAndStartsCountingAfresh() {
        circuit.failure(clock.instant());
        circuit.failure(clock.instant());
        circuit.success();

        assertThat(circuit.healthy()).isTrue();
        assertThat(circuit.failure(clock.instant())).isFalse();
        assertThat(circuit.failure(clock.instant())).isFalse();
        assertThat(circuit.isOpen(clock.instant())).isFalse();
    }
}
