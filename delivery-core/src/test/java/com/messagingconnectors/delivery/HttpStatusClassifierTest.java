package com.messagingconnectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "200, Delivered", "201, Delivered", "202, Delivered", "204, Delivered", "299, Delivered",
            "301, Permanent", "302, Permanent", "304, Permanent",
            "400, Permanent", "401, Permanent", "403, Permanent", "404, Permanent", "405, Permanent",
            "410, Permanent", "413, Permanent", "422, Permanent",
            "408, Retryable", "429, Retryable",
            "500, Retryable", "502, Retryable", "503, Retryable", "504, Retryable", "599, Retryable",
            "100, Permanent", "600, Permanent"
    })
    void classifiesEveryStatus(int status, String expected) {
        DeliveryOutcome outcome = HttpStatusClassifier.classify(status, null, NOW);

        assertThat(outcome.getClass().getSimpleName()).isEqualTo(expected);
        if (!(outcome instanceof DeliveryOutcome.Delivered)) {
            assertThat(outcome.toString()).contains("HTTP " + status);
        }
    }

    @ParameterizedTest(name = "Retry-After \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "120 | PT2M",
            "0 | PT0S",
            "Sat, 28 Nov 2026 08:00:30 GMT | PT30S",
            "Sat, 28 Nov 2026 07:59:00 GMT | PT0S",
            "-5 | none",
            "soon | none",
            "none | none"
    })
    void honoursRetryAfterInSecondsOrAsDate(String header, String expected) {
        DeliveryOutcome outcome = HttpStatusClassifier.classify(429, header, NOW);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Retryable.class);
        Duration expectedDelay = expected == null ? null : Duration.parse(expected);
        assertThat(((DeliveryOutcome.Retryable) outcome).retryAfter()).isEqualTo(expectedDelay);
    }
}
