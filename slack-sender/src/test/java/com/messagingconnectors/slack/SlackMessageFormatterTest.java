package com.messagingconnectors.slack;

import com.google.gson.Gson;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.avro.UserDeactivated;
import com.messagingconnectors.schemas.avro.UserInvited;
import com.messagingconnectors.slack.SlackMessageFormatter.SlackMessage;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.util.json.GsonFactory;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SlackMessageFormatterTest {
    // without HTML escaping, so the assertions see the characters Slack receives
    private static final Gson GSON = GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create();
    private final SlackMessageFormatter formatter = new SlackMessageFormatter();

    @Test
    void reportCompletedHasHeaderSummaryFieldsContextAndButton() {
        SlackMessage m = formatter.format(SlackFixtures.reportCompleted("Weekly revenue", "Weekly revenue is ready"));
        String json = GSON.toJson(m.blocks());
        assertThat(types(m)).containsExactly("header", "section", "section", "context", "actions");
        assertThat(header(m)).isEqualTo("📊 Report completed: Weekly revenue");
        assertThat(json).contains("Weekly revenue is ready")
                .contains("*Report name*\\nWeekly revenue").contains("*Row count*\\n1200")
                .contains("2026-11-27 09:30:00 UTC").contains("workspace ws_demo")
                .contains("\"url\":\"https://app.example.com/reports/r-42\"");
        assertThat(m.text()).isEqualTo("📊 Report completed: Weekly revenue — Weekly revenue is ready");
    }

    @Test
    void eachKnownTypeHasItsOwnHeaderAndSubject() {
        assertThat(header(formatter.format(withPayload("sync.failed", SyncFailed.newBuilder().setSourceId("s1")
                .setSourceName("Salesforce").setConnector("sfdc").setErrorMessage("401 from API").setAttempt(3)
                .build())))).isEqualTo("⚠️ Sync failed: Salesforce");
        assertThat(header(formatter.format(withPayload("user.invited", UserInvited.newBuilder()
                .setUserEmail("ana@example.com").setInvitedBy("bo@example.com").setRole("editor").build()))))
                .isEqualTo("✉️ Member invited: ana@example.com");
        assertThat(header(formatter.format(withPayload("user.deactivated", UserDeactivated.newBuilder()
                .setUserEmail("eve@example.com").setDeactivatedBy("admin@example.com").setReason(null).build()))))
                .isEqualTo("🔒 Member deactivated: eve@example.com");
        SlackMessage alert = formatter.format(withPayload("alert.triggered", AlertTriggered.newBuilder()
                .setAlertId("a1").setAlertName("Error rate").setMetric("errors_per_min").setComparator(">")
                .setThreshold(50).setValue(73.5).build()));
        assertThat(header(alert)).isEqualTo("🚨 Alert triggered: Error rate");
        // the comparator is event text: escaped; the level shows because it is not info
        assertThat(GSON.toJson(alert.blocks())).contains("*Comparator*\\n&gt;").contains("*Level*\\nalert")
                .contains("*Threshold*\\n50").contains("*Value*\\n73.5");
    }

    @Test
    void aNewTypeIsFormattedFromItsGenericPayload() {
        SlackMessage m = formatter.format(SlackFixtures.generic("invoice.paid",
                "{\"invoiceId\":\"inv-7\",\"amount\":120.5,\"customer\":{\"name\":\"ACME\"},\"note\":null}"));
        assertThat(header(m)).isEqualTo("Invoice paid");
        String json = GSON.toJson(m.blocks());
        assertThat(json).contains("*Invoice id*\\ninv-7").contains("*Amount*\\n120.5").contains("ACME")
                .doesNotContain("Note").doesNotContain("\"type\":\"actions\"");
    }

    @Test
    void eventTextCannotMentionEveryoneOrUsers() {
        PlatformEvent event = SlackFixtures.reportCompleted("<!channel> & <@U123>",
                "<!here> wake up <@U999|boss> <https://evil.example|click>");
        SlackMessage m = formatter.format(event);
        String json = GSON.toJson(m);
        assertThat(json).doesNotContain("<!channel>").doesNotContain("<!here>").doesNotContain("<@U")
                .doesNotContain("<https://evil");
        assertThat(header(m)).isEqualTo("📊 Report completed: &lt;!channel&gt; &amp; &lt;@U123&gt;");
        assertThat(m.text()).contains("&lt;!here&gt; wake up &lt;@U999|boss&gt;");
    }

    @Test
    void longTextIsCutVisiblyAtSlacksLimits() {
        String longName = "R".repeat(400);
        String longSummary = "<".repeat(2000) + "tail";   // 8,000 characters once escaped
        SlackMessage m = formatter.format(SlackFixtures.reportCompleted(longName, longSummary));
        assertThat(header(m)).hasSize(150).endsWith("…");
        String summary = ((SectionBlock) m.blocks().get(1)).getText().getText();
        assertThat(summary.length()).isLessThanOrEqualTo(3000);
        assertThat(summary).endsWith("&lt;…").doesNotContain("tail");
        assertThat(m.text().length()).isLessThanOrEqualTo(3000);
    }

    @Test
    void aPayloadWithHundredsOfFieldsStaysWithinFiftyBlocksAndSaysWhatIsHidden() {
        String json = IntStream.range(0, 600).mapToObj(i -> "\"field" + i + "\":\"v" + i + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        SlackMessage m = formatter.format(SlackFixtures.generic("bulk.import", json));
        assertThat(m.blocks()).hasSizeLessThanOrEqualTo(50);
        m.blocks().stream().filter(b -> b instanceof SectionBlock s && s.getFields() != null)
                .forEach(b -> assertThat(((SectionBlock) b).getFields()).hasSizeLessThanOrEqualTo(10));
        assertThat(GSON.toJson(m.blocks())).contains("more fields not shown…");
    }

    @Test
    void onlyWebLinksBecomeButtons() {
        PlatformEvent event = SlackFixtures.reportCompleted("r", "s");
        event.setLink("javascript:alert(1)");
        assertThat(types(formatter.format(event))).doesNotContain("actions");
    }

    @Test
    void aDigestShowsItsHeadlineTheFirstSummariesAndHowManyMore() {
        Digest digest = SlackFixtures.digest(37, java.util.List.of("pg-prod: connection refused",
                "pg-prod: <!channel> & timeout", "pg-prod: connection reset"));
        SlackMessage m = formatter.format(notification(SlackFixtures.syncFailed("sync.failed × 37 …"), digest));

        assertThat(types(m)).containsExactly("header", "section", "section", "context", "actions");
        assertThat(header(m)).isEqualTo("⚠️ Sync failed × 37");
        String json = GSON.toJson(m.blocks());
        assertThat(json).contains("sync.failed × 37 for pg-prod in the last 5 min")
                .contains("• pg-prod: connection refused\\n• pg-prod: &lt;!channel&gt; &amp; timeout\\n")
                .contains("_and 34 more_")
                .contains("2026-11-27 09:25:00 UTC – 2026-11-27 09:30:00 UTC")
                .contains("\"url\":\"https://app.example.com/sources/pg-prod\"")
                .doesNotContain("<!channel>");
        assertThat(m.text()).isEqualTo("sync.failed × 37 for pg-prod in the last 5 min: pg-prod: connection refused; "
                + "pg-prod: &lt;!channel&gt; &amp; timeout; pg-prod: connection reset; and 34 more");
    }

    @Test
    void aDigestStaysWithinSlacksLimits() {
        String huge = "x".repeat(5_000);
        Digest digest = SlackFixtures.digest(2_000, java.util.Collections.nCopies(20, huge));
        PlatformEvent latest = SlackFixtures.syncFailed("s");
        latest.setLink("javascript:alert(1)");
        SlackMessage m = formatter.format(notification(latest, digest));

        assertThat(m.blocks()).hasSizeLessThanOrEqualTo(SlackMessageFormatter.MAX_BLOCKS);
        assertThat(types(m)).doesNotContain("actions");
        for (LayoutBlock block : m.blocks()) {
            if (block instanceof SectionBlock section) {
                assertThat(section.getText().getText().length()).isLessThanOrEqualTo(SlackMessageFormatter.MAX_SECTION_CHARS);
            }
        }
        String list = ((SectionBlock) m.blocks().get(2)).getText().getText();
        // at most five samples, each cut visibly, and what is not listed is counted
        assertThat(list.lines().filter(l -> l.startsWith("• ")).count()).isEqualTo(5);
        assertThat(list).contains("…").endsWith("_and 1995 more_");
        assertThat(m.text().length()).isLessThanOrEqualTo(SlackMessageFormatter.MAX_FALLBACK_CHARS);
    }

    @Test
    void aNotificationWithoutADigestIsFormattedAsItsEvent() {
        PlatformEvent event = SlackFixtures.reportCompleted("Weekly revenue", "Weekly revenue is ready");
        assertThat(GSON.toJson(formatter.format(notification(event, null)).blocks()))
                .isEqualTo(GSON.toJson(formatter.format(event).blocks()));
    }

    private static Notification notification(PlatformEvent event, Digest digest) {
        return Notification.newBuilder().setNotificationId("n-1").setChannel("slack")
                .setDestination(new Destination("int_slack1/C1", "int_slack1", "C1"))
                .setRoutedAt(java.time.Instant.now()).setEvent(event).setDigest(digest).build();
    }

    private static PlatformEvent withPayload(String type, Object payload) {
        PlatformEvent e = SlackFixtures.reportCompleted("x", "summary of " + type);
        e.setType(type);
        e.setLevel(type.equals("alert.triggered") ? Level.alert : Level.info);
        e.setPayload(payload);
        return e;
    }

    private static java.util.List<String> types(SlackMessage m) {
        return m.blocks().stream().map(LayoutBlock::getType).toList();
    }

    private static String header(SlackMessage m) {
        return ((HeaderBlock) m.blocks().getFirst()).getText().getText();
    }
}
