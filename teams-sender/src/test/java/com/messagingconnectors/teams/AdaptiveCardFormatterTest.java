package com.messagingconnectors.teams;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.SyncFailed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveCardFormatterTest {

    @Test
    void reportCompletedShowsTitleSummaryFactsAndBothLinks() {
        ObjectNode card = AdaptiveCardFormatter.format(Events.samples().get("report.completed"));
        assertThat(card.get("version").asString("")).isEqualTo("1.5");
        assertThat(header(card).get("style").asString("")).isEqualTo("default");
        assertThat(texts(card)).contains("Report completed: Weekly revenue", "Weekly revenue finished: 1,204 rows");
        assertThat(facts(card)).containsEntry("Report", "Weekly revenue").containsEntry("Rows", "1,204")
                .containsEntry("Duration", "1 min 23 s");
        assertThat(card.at("/actions/0/type").asString("")).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/url").asString("")).isEqualTo("https://app.example.com/items/42");
        assertThat(card.at("/actions/1/title").asString("")).isEqualTo("Download");
        assertThat(card.at("/actions/1/url").asString("")).isEqualTo("https://app.example.com/r/1.csv");
    }

    @Test
    void syncFailedIsAWarningWithTheError() {
        ObjectNode card = AdaptiveCardFormatter.format(Events.samples().get("sync.failed"));
        assertThat(header(card).get("style").asString("")).isEqualTo("warning");
        assertThat(texts(card)).contains("WARNING", "Sync failed: Salesforce EU");
        assertThat(facts(card)).containsEntry("Source", "Salesforce EU").containsEntry("Connector", "salesforce")
                .containsEntry("Error", "401 from upstream: token expired").containsEntry("Attempt", "3");
    }

    @Test
    void userInvitedAndDeactivatedNameTheUser() {
        ObjectNode invited = AdaptiveCardFormatter.format(Events.samples().get("user.invited"));
        assertThat(texts(invited)).contains("User invited: ana@example.com");
        assertThat(facts(invited)).containsEntry("Invited by", "bob@example.com").containsEntry("Role", "editor");
        ObjectNode deactivated = AdaptiveCardFormatter.format(Events.samples().get("user.deactivated"));
        assertThat(texts(deactivated)).contains("User deactivated: carl@example.com");
        assertThat(facts(deactivated)).containsEntry("Deactivated by", "admin@example.com").doesNotContainKey("Reason");
    }

    @Test
    void alertIsShownInTheAttentionStyle() {
        ObjectNode card = AdaptiveCardFormatter.format(Events.samples().get("alert.triggered"));
        assertThat(header(card).get("style").asString("")).isEqualTo("attention");
        assertThat(texts(card)).contains("ALERT", "Alert: Error rate");
        assertThat(facts(card)).containsEntry("Metric", "http.errors.rate").containsEntry("Value", "0.127")
                .containsEntry("Condition", "\\> 0.05");
    }

    @Test
    void aResolvedAlertIsGreenWithWhenItResolved() {
        ObjectNode card = AdaptiveCardFormatter.format(Events.samples().get("alert.resolved"));
        assertThat(header(card).get("style").asString("")).isEqualTo("good");
        assertThat(texts(card)).contains("Resolved: Error rate", "Error rate back below 5 %").doesNotContain("ALERT");
        assertThat(facts(card)).containsEntry("Value", "0.012").containsEntry("Resolved at", "2026-11-28 09:40:00 UTC");
    }

    @Test
    void aNewEventTypeShowsItsPayloadFieldsWithoutACodeChange() {
        ObjectNode card = AdaptiveCardFormatter.format(Events.samples().get("invoice.paid (new type)"));
        assertThat(texts(card)).contains("Invoice paid", "Invoice INV-7 was paid");
        assertThat(facts(card)).containsEntry("Invoice id", "INV-7").containsEntry("Amount", "129.5")
                .containsEntry("Customer", "{\"id\":\"c1\"}").containsEntry("Paid", "true").doesNotContainKey("Note");
    }

    @Test
    void markdownInEventTextIsShownLiterallyNotRendered() {
        PlatformEvent event = Events.event("sync.failed", Level.info, "**urgent** [click](http://evil.example) {{DATE(2026-01-01T00:00:00Z)}}",
                new SyncFailed("s", "- list_item", null, "1. not a list", null));
        ObjectNode card = AdaptiveCardFormatter.format(event);
        assertThat(texts(card)).contains(
                "\\*\\*urgent\\*\\* \\[click\\]\\(http://evil.example\\) {\u200B{DATE\\(2026-01-01T00:00:00Z\\)}}");
        assertThat(facts(card)).containsEntry("Source", "\\- list\\_item").containsEntry("Error", "1\\. not a list");
    }

    @Test
    void anOversizedEventIsCutVisiblyToFitTeamsLimit() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            json.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"").append("x\\\"y".repeat(300)).append('"');
        }
        json.append('}');
        PlatformEvent event = Events.event("bulk.export", Level.info, "s".repeat(10_000),
                new GenericPayload(json.toString()));
        ObjectNode card = AdaptiveCardFormatter.format(event);
        assertThat(AdaptiveCardFormatter.size(card)).isLessThanOrEqualTo(AdaptiveCardFormatter.MAX_CARD_BYTES);
        List<String> texts = texts(card);
        String truncated = AdaptiveCardFormatter.escape(AdaptiveCardFormatter.TRUNCATED); // shows as "… (truncated)"
        assertThat(texts).anyMatch(t -> t.endsWith(truncated) && t.startsWith("sss"));
        assertThat(texts).anyMatch(t -> t.matches("\\d+ more fields not shown .*open the item for the full details\\."));
        assertThat(facts(card).values()).allMatch(v -> v.endsWith(truncated));
        assertThat(card.at("/actions/0/url").asString("")).isEqualTo("https://app.example.com/items/42");
    }

    @Test
    void withoutALinkThereIsNoButton() {
        PlatformEvent event = Events.samples().get("user.invited");
        event.setLink(null);
        assertThat(AdaptiveCardFormatter.format(event).has("actions")).isFalse();
    }

    @Test
    void aDigestShowsItsHeadlineTheFirstSummariesAndHowManyMore() {
        PlatformEvent latest = Events.samples().get("sync.failed");
        Notification notification = Notification.newBuilder(Events.notification(latest, "int-1", "ch-1"))
                .setDigest(Events.digest(37, List.of("Salesforce EU: token expired", "**bold** [x](http://evil)")))
                .build();

        ObjectNode card = AdaptiveCardFormatter.format(notification);

        assertThat(header(card).get("style").asString("")).isEqualTo("warning");
        assertThat(texts(card)).containsSubsequence("WARNING",
                "sync.failed × 37 for Salesforce EU in the last 5 min",
                "• Salesforce EU: token expired",
                "• \\*\\*bold\\*\\* \\[x\\]\\(http://evil\\)",
                "and 35 more",
                "sync.failed · 2026-11-28 09:10 UTC – 2026-11-28 09:15 UTC · 37 events, each counted once");
        assertThat(facts(card)).isEmpty();
        assertThat(card.at("/actions/0/url").asString("")).isEqualTo("https://app.example.com/items/42");
    }

    @Test
    void aDigestCardStaysSmallWhateverItsSamples() {
        PlatformEvent latest = Events.samples().get("sync.failed");
        Notification notification = Notification.newBuilder(Events.notification(latest, "int-1", "ch-1"))
                .setDigest(Events.digest(2_000, java.util.Collections.nCopies(50, "y".repeat(10_000)))).build();

        ObjectNode card = AdaptiveCardFormatter.format(notification);

        assertThat(AdaptiveCardFormatter.size(card)).isLessThanOrEqualTo(AdaptiveCardFormatter.MAX_CARD_BYTES);
        assertThat(texts(card).stream().filter(t -> t.startsWith("• ")).toList()).hasSize(5)
                .allSatisfy(t -> assertThat(t).endsWith(AdaptiveCardFormatter.escape(AdaptiveCardFormatter.TRUNCATED)));
        assertThat(texts(card)).contains("and 1995 more");
    }

    @Test
    void aNotificationWithoutADigestIsItsEventsCard() {
        PlatformEvent event = Events.samples().get("report.completed");
        assertThat(AdaptiveCardFormatter.format(Events.notification(event, "int-1", "ch-1")))
                .isEqualTo(AdaptiveCardFormatter.format(event));
    }

    static JsonNode header(ObjectNode card) {
        return card.at("/body/0");
    }

    static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject() && "TextBlock".equals(node.path("type").asString(""))) {
            out.add(node.get("text").asString(""));
        }
        node.forEach(child -> out.addAll(texts(child)));
        return out;
    }

    static Map<String, String> facts(JsonNode card) {
        Map<String, String> out = new LinkedHashMap<>();
        card.path("body").forEach(item -> item.path("facts")
                .forEach(f -> out.put(f.get("title").asString(""), f.get("value").asString(""))));
        return out;
    }
}
