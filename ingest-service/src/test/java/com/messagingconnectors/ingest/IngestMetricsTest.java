package com.messagingconnectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.schemas.EventJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);

    private double count(String outcome, String reason, String type) {
        var counter = registry.find(IngestMetrics.EVENTS).tags("outcome", outcome, "reason", reason, "type", type)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void countsByOutcomeReasonAndType() {
        metrics.accepted("report.completed");
        metrics.accepted("report.completed");
        metrics.rejected("invalid", null, 3);

        assertThat(count("accepted", "none", "report.completed")).isEqualTo(2);
        assertThat(count("rejected", "invalid", "unknown")).isEqualTo(3);
    }

    @Test
    void freeFormTypesAreCappedSoTimeSeriesStayBounded() {
        for (int i = 0; i < 150; i++) {
            metrics.accepted("custom.type_" + i);
        }
        metrics.accepted("Not A Type");

        // the known types hold tags from the start, so free-form types get the rest
        int freeFormTags = IngestMetrics.MAX_TYPE_TAGS - EventJson.typedEventTypes().size();
        assertThat(registry.find(IngestMetrics.EVENTS).counters()).hasSize(freeFormTags + 1);
        assertThat(count("accepted", "none", "other")).isEqualTo(150 - freeFormTags + 1);
    }
}
