package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.delivery.MessageBudget;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.DigestText;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.avro.UserDeactivated;
import com.messagingconnectors.schemas.avro.UserInvited;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an event into the Adaptive Card Teams shows: a container styled by level (alert → attention, warning →
 * warning, info → default) holding a title, the summary and the payload as facts, and an "Open" button to the event's
 * link; a digest gets its own card ({@link #formatDigest}). Pure: same event, same card.
 *
 * <p>Card schema 1.5 (the highest Teams renders). Every text from an event is escaped for the card's markdown subset,
 * and the card stays under Teams' 28 KB message limit: long texts are cut and, if that is not enough, trailing facts
 * are dropped, both visibly ("… (truncated)", "N more fields not shown").
 */
public final class AdaptiveCardFormatter {
    private static final java.time.format.DateTimeFormatter RESOLVED_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    /**
     * Teams refuses messages over about 28 KB. The budget is measured on the card as a JSON string (how Graph carries
     * it, with its quotes escaped), with room left for the message around it.
     */
    public static final int MAX_CARD_BYTES = 26 * 1024;
    static final int MAX_TEXT_CHARS = 2_000;
    static final int MAX_FACT_VALUE_CHARS = 500;
    static final int MAX_FACTS = 40;
    static final String TRUNCATED = "… (truncated)";

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AdaptiveCardFormatter() {
    }

    /** A title and facts, before they are laid out. */
    private record Content(String title, List<Map.Entry<String, String>> facts, String extraUrlTitle, String extraUrl) {
    }

    public static ObjectNode format(PlatformEvent event) {
        Content content = content(event);
        // facts dropped from the end until the card fits; the card says how many are not shown
        return MessageBudget.fit(content.facts(), MAX_FACTS, MAX_CARD_BYTES,
                (facts, hidden) -> layout(event, content, facts, hidden), AdaptiveCardFormatter::size);
    }

    /** A notification's card: a digest card when it stands for several events, else its event's card. */
    public static ObjectNode format(Notification notification) {
        Digest digest = notification.getDigest();
        return digest == null ? format(notification.getEvent()) : formatDigest(notification.getEvent(), digest);
    }

    /**
     * A digest: the level-styled header with the headline ({@link DigestText}), the first few summaries as a list,
     * "and N more", the type and time span, and the latest event's "Open" button. Samples are cut to
     * {@link #MAX_FACT_VALUE_CHARS} each, so the card stays far below {@link #MAX_CARD_BYTES}.
     */
    static ObjectNode formatDigest(PlatformEvent latest, Digest digest) {
        ObjectNode card = JSON.createObjectNode();
        card.put("type", "AdaptiveCard");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("version", "1.5");
        ArrayNode body = card.putArray("body");
        ArrayNode items = header(body, latest);
        ObjectNode title = items.addObject();
        title.put("type", "TextBlock");
        title.put("text", escape(cut(DigestText.headline(latest.getType(), digest), 200)));
        title.put("size", "medium");
        title.put("weight", "bolder");
        title.put("wrap", true);

        List<String> samples = DigestText.listedSamples(digest);
        for (String sample : samples) {
            ObjectNode line = body.addObject();
            line.put("type", "TextBlock");
            line.put("text", "• " + escape(cut(sample, MAX_FACT_VALUE_CHARS)));
            line.put("wrap", true);
            line.put("spacing", "small");
        }
        String more = DigestText.more(digest.getCount(), samples.size());
        if (!more.isEmpty()) {
            ObjectNode rest = body.addObject();
            rest.put("type", "TextBlock");
            rest.put("text", more);
            rest.put("isSubtle", true);
            rest.put("wrap", true);
        }
        String first = TIME.format(digest.getFirstOccurredAt());
        String last = TIME.format(digest.getLastOccurredAt());
        ObjectNode footer = body.addObject();
        footer.put("type", "TextBlock");
        footer.put("text", escape(latest.getType() + " · " + (first.equals(last) ? last : first + " – " + last)
                + " · " + digest.getCount() + " events, each counted once"));
        footer.put("isSubtle", true);
        footer.put("size", "small");
        footer.put("wrap", true);
        if (isHttpUrl(latest.getLink())) {
            ObjectNode open = card.putArray("actions").addObject();
            open.put("type", "Action.OpenUrl");
            open.put("title", "Open");
            open.put("url", latest.getLink());
        }
        return card;
    }

    /** The card's size as Graph carries it: a JSON string inside the message. */
    public static int size(ObjectNode card) {
        try {
            return JSON.writeValueAsBytes(JSON.writeValueAsString(card)).length;
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode layout(PlatformEvent event, Content content, List<Map.Entry<String, String>> facts,
                                     int hiddenFacts) {
        ObjectNode card = JSON.createObjectNode();
        card.put("type", "AdaptiveCard");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("version", "1.5");
        ArrayNode body = card.putArray("body");

        ArrayNode items = header(body, event);
        ObjectNode title = items.addObject();
        title.put("type", "TextBlock");
        title.put("text", escape(cut(content.title(), 200)));
        title.put("size", "medium");
        title.put("weight", "bolder");
        title.put("wrap", true);

        ObjectNode summary = body.addObject();
        summary.put("type", "TextBlock");
        summary.put("text", escape(cut(event.getSummary(), MAX_TEXT_CHARS)));
        summary.put("wrap", true);

        if (!facts.isEmpty()) {
            ObjectNode factSet = body.addObject();
            factSet.put("type", "FactSet");
            ArrayNode list = factSet.putArray("facts");
            for (Map.Entry<String, String> fact : facts) {
                ObjectNode f = list.addObject();
                f.put("title", escape(cut(fact.getKey(), 80)));
                f.put("value", escape(cut(fact.getValue(), MAX_FACT_VALUE_CHARS)));
            }
        }
        if (hiddenFacts > 0) {
            ObjectNode more = body.addObject();
            more.put("type", "TextBlock");
            more.put("text", hiddenFacts + (hiddenFacts == 1 ? " more field" : " more fields")
                    + " not shown (the card was too large for Teams); open the item for the full details.");
            more.put("isSubtle", true);
            more.put("size", "small");
            more.put("wrap", true);
        }
        ObjectNode footer = body.addObject();
        footer.put("type", "TextBlock");
        footer.put("text", escape(event.getType() + " · " + TIME.format(event.getOccurredAt())
                + (event.getSource() != null ? " · " + cut(event.getSource(), 80) : "")));
        footer.put("isSubtle", true);
        footer.put("size", "small");
        footer.put("wrap", true);

        ArrayNode actions = card.putArray("actions");
        if (isHttpUrl(event.getLink())) {
            ObjectNode open = actions.addObject();
            open.put("type", "Action.OpenUrl");
            open.put("title", "Open");
            open.put("url", event.getLink());
        }
        if (isHttpUrl(content.extraUrl())) {
            ObjectNode extra = actions.addObject();
            extra.put("type", "Action.OpenUrl");
            extra.put("title", content.extraUrlTitle());
            extra.put("url", content.extraUrl());
        }
        if (actions.isEmpty()) {
            card.remove("actions");
        }
        return card;
    }

    /** The container styled by level, with the level's label; returns its items for the title. */
    private static ArrayNode header(ArrayNode body, PlatformEvent event) {
        ObjectNode header = body.addObject();
        header.put("type", "Container");
        header.put("style", containerStyle(event));
        header.put("bleed", true);
        ArrayNode items = header.putArray("items");
        String levelLabel = levelLabel(event);
        if (levelLabel != null) {
            ObjectNode level = items.addObject();
            level.put("type", "TextBlock");
            level.put("text", levelLabel);
            level.put("size", "small");
            level.put("weight", "bolder");
            level.put("color", "alert".equals(event.getLevel().name()) ? "attention" : "warning");
        }
        return items;
    }

    private static Content content(PlatformEvent event) {
        Object payload = event.getPayload();
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        switch (payload) {
            case ReportCompleted p -> {
                facts.add(Map.entry("Report", p.getReportName()));
                if (p.getRowCount() != null) {
                    facts.add(Map.entry("Rows", String.format(Locale.ROOT, "%,d", p.getRowCount())));
                }
                if (p.getDurationMs() != null) {
                    facts.add(Map.entry("Duration", duration(p.getDurationMs())));
                }
                return new Content("Report completed: " + p.getReportName(), facts, "Download", p.getDownloadUrl());
            }
            case SyncFailed p -> {
                facts.add(Map.entry("Source", p.getSourceName()));
                if (p.getConnector() != null) {
                    facts.add(Map.entry("Connector", p.getConnector()));
                }
                facts.add(Map.entry("Error", p.getErrorMessage()));
                if (p.getAttempt() != null) {
                    facts.add(Map.entry("Attempt", String.valueOf(p.getAttempt())));
                }
                return new Content("Sync failed: " + p.getSourceName(), facts, null, null);
            }
            case UserInvited p -> {
                facts.add(Map.entry("User", p.getUserEmail()));
                facts.add(Map.entry("Invited by", p.getInvitedBy()));
                if (p.getRole() != null) {
                    facts.add(Map.entry("Role", p.getRole()));
                }
                return new Content("User invited: " + p.getUserEmail(), facts, null, null);
            }
            case UserDeactivated p -> {
                facts.add(Map.entry("User", p.getUserEmail()));
                facts.add(Map.entry("Deactivated by", p.getDeactivatedBy()));
                if (p.getReason() != null) {
                    facts.add(Map.entry("Reason", p.getReason()));
                }
                return new Content("User deactivated: " + p.getUserEmail(), facts, null, null);
            }
            case AlertTriggered p -> {
                facts.add(Map.entry("Metric", p.getMetric()));
                facts.add(Map.entry("Value", number(p.getValue())));
                facts.add(Map.entry("Condition", p.getComparator() + " " + number(p.getThreshold())));
                return new Content("Alert: " + p.getAlertName(), facts, null, null);
            }
            case AlertResolved p -> {
                if (p.getValue() != null) {
                    facts.add(Map.entry("Value", number(p.getValue())));
                }
                facts.add(Map.entry("Resolved at", RESOLVED_TIME.format(p.getResolvedAt() != null ? p.getResolvedAt()
                        : event.getOccurredAt())));
                return new Content("Resolved: " + (p.getAlertName() != null ? p.getAlertName() : p.getAlertId()), facts,
                        null, null);
            }
            case GenericPayload p -> {
                genericFacts(p.getJson(), facts);
                return new Content(humanType(event.getType()), facts, null, null);
            }
            default -> {
                return new Content(humanType(event.getType()), facts, null, null);
            }
        }
    }

    /** A new event type: every top-level field of its JSON payload becomes a fact (nested values as compact JSON). */
    private static void genericFacts(String json, List<Map.Entry<String, String>> facts) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            facts.add(Map.entry("Payload", json));
            return;
        }
        if (node == null || !node.isObject()) {
            if (node != null && !node.isNull()) {
                facts.add(Map.entry("Payload", node.toString()));
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            facts.add(Map.entry(humanField(field.getKey()), value.isValueNode() ? value.asString("") : value.toString()));
        }
    }

    /** "report.completed" → "Report completed"; an unknown "invoice.paid" → "Invoice paid". */
    static String humanType(String type) {
        String words = type.replace('.', ' ').replace('_', ' ').replace('-', ' ').strip();
        return words.isEmpty() ? "Event" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** "invoiceId" / "invoice_id" → "Invoice id". */
    private static String humanField(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static String containerStyle(PlatformEvent event) {
        if (event.getPayload() instanceof AlertResolved) {
            return "good"; // green, like the resolved alert's Slack message
        }
        return switch (event.getLevel()) {
            case alert -> "attention";
            case warning -> "warning";
            default -> "default";
        };
    }

    private static String levelLabel(PlatformEvent event) {
        return switch (event.getLevel()) {
            case alert -> "ALERT";
            case warning -> "WARNING";
            default -> null;
        };
    }

    private static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String number(double value) {
        return new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }

    private static boolean isHttpUrl(String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) && url.length() < 2048;
    }

    /** Cuts long text visibly. */
    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - TRUNCATED.length()) + TRUNCATED;
    }

    /**
     * Escapes text for the card's markdown subset (bold, italic, lists, links) with backslashes, so an event saying
     * "**urgent** [click](http://evil)" shows those characters instead of formatting or a link. "{{" is broken with
     * a zero-width space because TextBlocks expand {{DATE(…)}} / {{TIME(…)}} functions.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '*', '_', '[', ']', '(', ')', '`', '~', '<', '>', '#', '|' -> out.append('\\').append(c);
                case '-', '+' -> {
                    // list markers only matter at the start of a line
                    if (lineStart) {
                        out.append('\\');
                    }
                    out.append(c);
                }
                case '{' -> {
                    out.append(c);
                    if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                        out.append('\u200B');
                    }
                }
                default -> out.append(c);
            }
            if (c == '.' && i > 0 && Character.isDigit(text.charAt(i - 1)) && startsLineWithNumber(text, i)
                    && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                // "1. item" at a line start would become a numbered list
                out.insert(out.length() - 1, '\\');
            }
            lineStart = c == '\n' || (lineStart && c == ' ');
        }
        return out.toString();
    }

    /** True when text[dot] is the dot of "123." at the start of a line. */
    private static boolean startsLineWithNumber(String text, int dot) {
        int i = dot - 1;
        while (i >= 0 && Character.isDigit(text.charAt(i))) {
            i--;
        }
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || text.charAt(i) == '\n';
    }
}
