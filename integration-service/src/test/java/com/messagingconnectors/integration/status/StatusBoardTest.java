package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.model.StatusReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How reports on connectors.status add up to an integration's status. */
class StatusBoardTest {
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void mutedCountsAreSummedAndLeaveTheStateAlone() {
        StatusView status = fold(
                report(StatusReport.UNHEALTHY, "the Slack token was revoked: reconnect Slack", T0, null),
                report(StatusReport.MUTED, "integration Slack is muted until …", T0.plusSeconds(10), 3L),
                report(StatusReport.MUTED, "rule invites matched but is muted until …", T0.plusSeconds(20), 4L));
        assertThat(status.state()).isEqualTo(StatusReport.UNHEALTHY);
        assertThat(status.lastError()).isEqualTo("the Slack token was revoked: reconnect Slack");
        assertThat(status.lastErrorAt()).isEqualTo(T0);
        assertThat(status.mutedEvents()).isEqualTo(7);
        assertThat(status.lastMutedAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void mutedCountsSurviveOtherReportsInAnyOrder() {
        StatusView status = fold(
                report(StatusReport.MUTED, "muted", T0.plusSeconds(30), 5L),
                report(StatusReport.DELIVERED, "last successful delivery", T0.plusSeconds(40), null),
                // reports of several router instances are not in time order
                report(StatusReport.MUTED, "muted", T0.plusSeconds(25), 2L),
                report(StatusReport.CONNECTED, "deliveries succeed again", T0.plusSeconds(50), null));
        assertThat(status.state()).isEqualTo(StatusReport.CONNECTED);
        assertThat(status.lastDeliveredAt()).isEqualTo(T0.plusSeconds(40));
        assertThat(status.mutedEvents()).isEqualTo(7);
        assertThat(status.lastMutedAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void nothingMutedBeforeAnyMutedReport() {
        StatusView status = fold(report(StatusReport.DELIVERED, "last successful delivery", T0, null));
        assertThat(status.mutedEvents()).isZero();
        assertThat(status.lastMutedAt()).isNull();
        assertThat(StatusView.INITIAL.state()).isEqualTo(StatusReport.CONNECTED);
    }

    private static StatusView fold(StatusReport... reports) {
        StatusView status = StatusView.INITIAL;
        for (StatusReport report : List.of(reports)) {
            status = StatusBoard.fold(status, report);
        }
        return status;
    }

    private static StatusReport report(String state, String message, Instant at, Long count) {
        return new StatusReport("ws_a", "int_a", null, state, state, message, at, count);
    }
}
