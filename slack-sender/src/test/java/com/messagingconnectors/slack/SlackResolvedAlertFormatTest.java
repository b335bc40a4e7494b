package com.messagingconnectors.slack;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.slack.SlackMessageFormatter.SlackMessage;
import com.messagingconnectors.slack.SlackMessageFormatter.SlackUpdate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How a resolved alert looks in Slack: the original message edited in place, or a message of its own. */
class SlackResolvedAlertFormatTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final SlackMessageFormatter formatter = new SlackMessageFormatter();

    @Test
    void theEditedMessageKeepsTheOriginalContentWithResolvedInFrontAndAGreenBar() throws Exception {
        SlackMessage original = formatter.format(triggered());
        SlackUpdate update = formatter.resolvedUpdate(resolved(Instant.parse("2026-11-27T09:47:00Z")),
                original.text(), formatter.blocksJson(original.blocks()));

        assertThat(update.text()).isEqualTo("✅ Resolved: " + original.text());
        JsonNode blocks = JSON.readTree(update.blocksJson());
        JsonNode before = JSON.readTree(formatter.blocksJson(original.blocks()));
        assertThat(blocks.size()).isEqualTo(before.size());
        assertThat(blocks.get(0).path("text").path("text").asString(""))
                .isEqualTo("✅ Resolved: 🚨 Alert triggered: Error rate");
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i)).isEqualTo(before.get(i)); // summary, fields, context: unchanged
        }
        JsonNode bar = JSON.readTree(update.attachmentsJson()).get(0);
        assertThat(bar.path("color").asString("")).isEqualTo("#2eb886");
        assertThat(bar.path("blocks").get(0).path("text").path("text").asString(""))
                .isEqualTo("✅ *Resolved* 2026-11-27 09:47:00 UTC  ·  Error rate back below 50 &lt;ok&gt;");
    }

    @Test
    void withoutResolvedAtTheEventsTimeIsShown() throws Exception {
        SlackMessage original = formatter.format(triggered());
        SlackUpdate update = formatter.resolvedUpdate(resolved(null), original.text(),
                formatter.blocksJson(original.blocks()));
        assertThat(update.attachmentsJson()).contains("2026-11-27 09:45:00 UTC");
    }

    @Test
    void aLongHeaderStaysWithinSlacksLimit() throws Exception {
        SlackMessage original = formatter.format(triggered());
        String blocks = formatter.blocksJson(original.blocks()).replace("Error rate", "x".repeat(148));
        SlackUpdate update = formatter.resolvedUpdate(resolved(null), original.text(), blocks);
        assertThat(JSON.readTree(update.blocksJson()).get(0).path("text").path("text").asString(""))
                .hasSize(SlackMessageFormatter.MAX_HEADER_CHARS).startsWith("✅ Resolved: ").endsWith("…");
    }

    @Test
    void aResolutionOfItsOwnHasItsHeaderAndFields() throws Exception {
        SlackMessage message = formatter.format(resolved(Instant.parse("2026-11-27T09:47:00Z")));
        assertThat(message.text()).isEqualTo("✅ Alert resolved: Error rate — Error rate back below 50 &lt;ok&gt;");
        String json = formatter.blocksJson(message.blocks());
        assertThat(json).contains("*Alert id*\\na1").contains("*Value*\\n12");
    }

    private static PlatformEvent triggered() {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("alert.triggered")
                .setWorkspaceId("ws_demo").setOccurredAt(Instant.parse("2026-11-27T09:30:00Z")).setLevel(Level.alert)
                .setSummary("Error rate above 50").setLink(null).setSource(null).setAttributes(Map.of())
                .setPayload(AlertTriggered.newBuilder().setAlertId("a1").setAlertName("Error rate")
                        .setMetric("errors_per_min").setComparator(">").setThreshold(50).setValue(73.5).build())
                .build();
    }

    private static PlatformEvent resolved(Instant resolvedAt) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("alert.resolved")
                .setWorkspaceId("ws_demo").setOccurredAt(Instant.parse("2026-11-27T09:45:00Z")).setLevel(Level.info)
                .setSummary("Error rate back below 50 <ok>").setLink(null).setSource(null).setAttributes(Map.of())
                .setPayload(AlertResolved.newBuilder().setAlertId("a1").setAlertName("Error rate")
                        .setResolvedAt(resolvedAt).setValue(12.0).build())
                .build();
    }
}
