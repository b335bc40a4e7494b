package com.messagingconnectors.googlechat;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message Google Chat receives: Cards v2 with a text fallback, escaped, within Chat's limits. */
class CardsV2FormatterTest {

    @Test
    void anAlertHasItsLevelInTheTextAndSubtitleAndEveryFieldAsDecoratedText() {
        PlatformEvent event = PlatformEvent.newBuilder(Spaces.event("alert.triggered")).setLevel(Level.alert)
                .setSummary("Error rate above 5 %").setSource("monitoring").setAttributes(Map.of("env", "prod"))
                .setPayload(new GenericPayload("{\"alertName\":\"Error rate\",\"value\":9.5,\"tags\":[\"a\",\"b\"]}"))
                .build();

        ObjectNode message = CardsV2Formatter.format(event, "n-1");

        assertThat(message.get("text").asString("")).isEqualTo("Alert: Error rate above 5 %\nhttps://app.example.com/reports/r-1");
        assertThat(message.at("/cardsV2/0/cardId").asString("")).isEqualTo("n-1");
        assertThat(message.at("/cardsV2/0/card/header/subtitle").asString(""))
                .isEqualTo("Alert · alert.triggered · 2026-03-01 12:30 UTC");
        List<String> labels = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (JsonNode widget : message.at("/cardsV2/0/card/sections/0/widgets")) {
            if (widget.has("decoratedText")) {
                labels.add(widget.at("/decoratedText/topLabel").asString(""));
                values.add(widget.at("/decoratedText/text").asString(""));
            }
        }
        assertThat(labels).containsExactly("Alert name", "Value", "Tags", "Source", "env");
        assertThat(values).containsExactly("Error rate", "9.5", "[\"a\",\"b\"]", "monitoring", "prod");
    }

    @Test
    void noLinkNoButtonAndAJavascriptLinkIsNeverOne() {
        PlatformEvent plain = PlatformEvent.newBuilder(Spaces.event("user.invited")).setLink(null).build();
        PlatformEvent script = PlatformEvent.newBuilder(Spaces.event("user.invited")).setLink("javascript:alert(1)")
                .build();

        for (PlatformEvent event : List.of(plain, script)) {
            ObjectNode message = CardsV2Formatter.format(event, "n");
            assertThat(message.toString()).doesNotContain("buttonList").doesNotContain("javascript:");
            assertThat(message.get("text").asString("")).isEqualTo("Weekly revenue report is ready");
        }
    }

    @Test
    void markupFromAnEventIsEscapedEverywhere() {
        PlatformEvent event = PlatformEvent.newBuilder(Spaces.event("report.completed"))
                .setSummary("<users/all> <a href=\"https://evil.example\">x</a> & co")
                .setPayload(new GenericPayload("{\"<b>name</b>\":\"<font color=\\\"red\\\">v</font>\"}")).build();

        ObjectNode message = CardsV2Formatter.format(event, "n");

        String text = message.get("text").asString("");
        assertThat(text).startsWith("&lt;users/all&gt; &lt;a href=\"https://evil.example\"&gt;x&lt;/a&gt; &amp; co");
        JsonNode card = message.at("/cardsV2/0/card");
        assertThat(card.at("/header/title").asString("")).doesNotContain("<").contains("&lt;users/all&gt;");
        JsonNode field = card.at("/sections/0/widgets/0/decoratedText");
        assertThat(field.get("topLabel").asString("")).isEqualTo("&lt;b&gt;name&lt;/b&gt;");
        assertThat(field.get("text").asString("")).isEqualTo("&lt;font color=\"red\"&gt;v&lt;/font&gt;");
    }

    @Test
    void aLongSummaryIsCutInTheHeaderAndShownInFullBelowWithinTheTextLimit() {
        String summary = "x".repeat(900) + "&".repeat(100);
        PlatformEvent event = PlatformEvent.newBuilder(Spaces.event("report.completed")).setSummary(summary).build();

        ObjectNode message = CardsV2Formatter.format(event, "n");

        String title = message.at("/cardsV2/0/card/header/title").asString("");
        assertThat(title).hasSize(CardsV2Formatter.MAX_TITLE_CHARS).endsWith("…");
        String paragraph = message.at("/cardsV2/0/card/sections/0/widgets/0/textParagraph/text").asString("");
        assertThat(paragraph).startsWith("x".repeat(900)).endsWith("&amp;".repeat(100));
        assertThat(message.get("text").asString("").length()).isLessThanOrEqualTo(CardsV2Formatter.MAX_TEXT_CHARS);
    }

    @Test
    void cutsNeverSplitAnEntityOrASurrogatePair() {
        assertThat(CardsV2Formatter.cut("ab&amp;cd", 5)).isEqualTo("ab…");
        assertThat(CardsV2Formatter.cut("ab&amp;cd", 8)).isEqualTo("ab&amp;…");
        String emoji = "a😀b";
        assertThat(CardsV2Formatter.cut(emoji + "cdef", 3)).isEqualTo("a…");
        assertThat(CardsV2Formatter.cut("short", 10)).isEqualTo("short");
    }

    @Test
    void aHugePayloadStaysUnderThe32000ByteLimitAndSaysWhatWasLeftOut() {
        StringBuilder payload = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            payload.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"")
                    .append("é<>&".repeat(250)).append('"');
        }
        PlatformEvent event = PlatformEvent.newBuilder(Spaces.event("report.completed"))
                .setPayload(new GenericPayload(payload.append('}').toString())).build();

        ObjectNode message = CardsV2Formatter.format(event, "n");

        assertThat(CardsV2Formatter.size(message)).isLessThanOrEqualTo(CardsV2Formatter.MAX_MESSAGE_BYTES);
        JsonNode widgets = message.at("/cardsV2/0/card/sections/0/widgets");
        assertThat(widgets.toString()).contains("more fields not shown");
        for (JsonNode widget : widgets) {
            if (widget.has("decoratedText")) {
                assertThat(widget.at("/decoratedText/text").asString("").length())
                        .isLessThanOrEqualTo(CardsV2Formatter.MAX_VALUE_CHARS);
            }
        }
        // still a card with the button to the item
        assertThat(widgets.get(widgets.size() - 1).has("buttonList")).isTrue();
    }

    @Test
    void aDigestIsOneCardWithItsHeadlineTheFirstSummariesAndHowManyMore() {
        PlatformEvent latest = PlatformEvent.newBuilder(Spaces.event("sync.failed")).setLevel(Level.warning).build();
        List<String> samples = List.of("pg-prod: connection refused", "pg-prod: <b>timeout</b> & retry", "s3", "s4",
                "s5", "s6", "s7");

        ObjectNode message = CardsV2Formatter.format(notification(latest, digest(37, samples)));

        assertThat(message.get("text").asString("")).startsWith("sync.failed × 37 for pg-prod in the last 5 min: "
                + "pg-prod: connection refused; pg-prod: &lt;b&gt;timeout&lt;/b&gt; &amp; retry").endsWith("and 32 more");
        assertThat(message.at("/cardsV2/0/cardId").asString("")).isEqualTo("n-digest");
        assertThat(message.at("/cardsV2/0/card/header/title").asString("")).isEqualTo("sync.failed × 37");
        assertThat(message.at("/cardsV2/0/card/header/subtitle").asString(""))
                .isEqualTo("2026-03-01 12:25 UTC – 2026-03-01 12:30 UTC · 37 events, each counted once");
        JsonNode widgets = message.at("/cardsV2/0/card/sections/0/widgets");
        assertThat(widgets.get(0).at("/textParagraph/text").asString(""))
                .isEqualTo("sync.failed × 37 for pg-prod in the last 5 min");
        String list = widgets.get(1).at("/textParagraph/text").asString("");
        assertThat(list.split("<br>")).hasSize(6).startsWith("• pg-prod: connection refused",
                "• pg-prod: &lt;b&gt;timeout&lt;/b&gt; &amp; retry");
        assertThat(list).endsWith("<i>and 32 more</i>").doesNotContain("s6");
        assertThat(widgets.findValuesAsString("url")).containsExactly(latest.getLink());
        assertThat(message.toString()).doesNotContain("decoratedText");
    }

    @Test
    void aDigestOfHugeSamplesStaysWithinChatsLimits() {
        String huge = "\u0001<&>🚨".repeat(5_000);
        PlatformEvent latest = PlatformEvent.newBuilder(Spaces.event("sync.failed")).setSummary(huge).build();

        ObjectNode message = CardsV2Formatter.format(notification(latest, digest(2_000,
                java.util.Collections.nCopies(20, huge))));

        assertThat(CardsV2Formatter.size(message)).isLessThanOrEqualTo(CardsV2Formatter.MAX_MESSAGE_BYTES);
        assertThat(message.get("text").asString("")).hasSizeLessThanOrEqualTo(CardsV2Formatter.MAX_TEXT_CHARS)
                .endsWith(CardsV2Formatter.CUT).doesNotContain("<");
        assertThat(message.at("/cardsV2/0/card/sections/0/widgets/1/textParagraph/text").asString(""))
                .endsWith("<i>and 1995 more</i>");
    }

    @Test
    void aNotificationWithoutADigestIsFormattedAsItsEvent() {
        PlatformEvent event = Spaces.event("report.completed");

        assertThat(CardsV2Formatter.format(notification(event, null)))
                .isEqualTo(CardsV2Formatter.format(event, "n-digest"));
    }

    private static Notification notification(PlatformEvent event, Digest digest) {
        return Notification.newBuilder().setNotificationId("n-digest").setChannel("googlechat")
                .setDestination(new Destination("int_1/team", "int_1", "team")).setRoutedAt(Instant.now())
                .setEvent(event).setDigest(digest).build();
    }

    /** A digest of {@code count} sync.failed events of pg-prod over the five minutes before the event. */
    private static Digest digest(int count, List<String> samples) {
        List<String> ids = java.util.stream.IntStream.range(0, count).mapToObj(i -> "id-" + i).toList();
        Instant last = Spaces.event("sync.failed").getOccurredAt();
        return Digest.newBuilder().setGroupKey("rule-1|pg-prod").setGroupLabel("pg-prod").setReason("grouped")
                .setCount(count).setEventIds(ids).setFirstOccurredAt(last.minusSeconds(300)).setLastOccurredAt(last)
                .setSamples(samples).build();
    }
}
