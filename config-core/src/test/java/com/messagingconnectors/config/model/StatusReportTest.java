package com.messagingconnectors.config.model;

import com.messagingconnectors.config.store.ConfigCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** connectors.status values: a muted report carries its count; reports written before counts still read. */
class StatusReportTest {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void aMutedReportCarriesItsCountAndOthersCarryNone() throws Exception {
        StatusReport muted = new StatusReport("ws_a", "int_a", null, StatusReport.MUTED, "muted",
                "integration Slack is muted until 2026-12-06T10:00:00Z (maintenance)", AT, 37L);
        assertThat(ConfigCodec.decode(ConfigCodec.encode(muted), StatusReport.class)).isEqualTo(muted);

        byte[] delivered = ConfigCodec.encode(new StatusReport("ws_a", "int_a", "C1", StatusReport.DELIVERED,
                "delivered", "last successful delivery", AT));
        assertThat(new String(delivered, StandardCharsets.UTF_8)).doesNotContain("count");

        byte[] older = """
                {"workspaceId":"ws_a","integrationId":"int_a","state":"unhealthy","reason":"token_revoked",
                 "message":"reconnect Slack","at":"2026-12-06T08:00:00Z"}""".getBytes(StandardCharsets.UTF_8);
        assertThat(ConfigCodec.decode(older, StatusReport.class)).isEqualTo(new StatusReport("ws_a", "int_a", null,
                StatusReport.UNHEALTHY, "token_revoked", "reconnect Slack", AT));
    }
}
