package com.messagingconnectors.googlechat;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.delivery.MessageBudget;
import com.messagingconnectors.schemas.DigestText;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an event (or a digest of several) into a Google Chat message: a Cards v2 card (header = the event's summary, one section with the
 * event's fields as {@code decoratedText} widgets and an "Open" button to its link) and a plain {@code text} fallback
 * that notifications, search and clients without cards show. Pure: same event, same message.
 *
 * <p>The fields are the envelope's (level, source, attributes) and the payload's top-level fields, whatever the
 * type, so a new event type needs no change here. Every text from an event is escaped: card texts accept a subset
 * of HTML and the text fallback reads {@code <users/…>} as mentions and {@code <url|text>} as links, so {@code &},
 * {@code <} and {@code >} become entities in both. Limits (Google Chat's): the text at most 4,096 characters, the
 * whole message at most 32,000 bytes; texts are cut visibly ("…"), never inside an entity or a surrogate pair, and
 * when the message is still too large trailing fields are dropped and the card says how many.
 */
public final class CardsV2Formatter {
    /** Google Chat refuses a message whose text is longer. */
    public static final int MAX_TEXT_CHARS = 4_096;
    /** Google Chat refuses a message larger than this (the JSON request body). */
    public static final int MAX_MESSAGE_BYTES = 32_000;
    static final int MAX_TITLE_CHARS = 200;
    static final int MAX_LABEL_CHARS = 100;
    static final int MAX_VALUE_CHARS = 1_000;
    static final int MAX_SUMMARY_CHARS = 2_000;
    static final int MAX_FIELDS = 40;
    /** A longer link stays on the card's button only, so the text keeps room for the summary. */
    static final int MAX_LINK_CHARS = 2_048;
    static final String CUT = "…";
    /**
     * A digest's texts are bounded by these instead of by fitting fields: even at 6 bytes a character (control
     * characters as JSON escapes) its text, headline and five samples stay far below {@link #MAX_MESSAGE_BYTES}.
     */
    static final int MAX_DIGEST_TEXT_CHARS = 1_000;
    static final int MAX_DIGEST_SAMPLE_CHARS = 500;

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private CardsV2Formatter() {
    }

    /** The message for {@code event}; {@code cardId} names the card (the notification id: stable across retries). */
    public static ObjectNode format(PlatformEvent event, String cardId) {
        return MessageBudget.fit(fields(EventJson.toEventJson(event)), MAX_FIELDS, MAX_MESSAGE_BYTES,
                (shown, hidden) -> layout(event, cardId, shown, hidden), CardsV2Formatter::size);
    }

    /**
     * The message for a notification: a digest's summary when it stands for several events (the digest stage folded
     * them), else its event's message. {@code cardId} is the notification id.
     */
    public static ObjectNode format(Notification notification) {
        Digest digest = notification.getDigest();
        return digest == null ? format(notification.getEvent(), notification.getNotificationId())
                : formatDigest(notification.getEvent(), digest, notification.getNotificationId());
    }

    /**
     * A digest as one card: the headline ({@link DigestText}: "sync.failed × 37 for pg-prod in the last 5 min"), the
     * first few event summaries, "and N more", the time span and count, and an Open button to the latest event's
     * link; the text fallback says the same in one paragraph. Samples are cut so that the message always fits.
     */
    static ObjectNode formatDigest(PlatformEvent latest, Digest digest, String cardId) {
        String headline = DigestText.headline(latest.getType(), digest);
        List<String> samples = DigestText.listedSamples(digest);
        String more = DigestText.more(digest.getCount(), samples.size());

        ObjectNode message = JSON.createObjectNode();
        message.put("text", cut(escape(headline + (samples.isEmpty() ? "" : ": " + String.join("; ", samples))
                + (more.isEmpty() ? "" : "; " + more)), MAX_DIGEST_TEXT_CHARS));
        ObjectNode wrapper = message.putArray("cardsV2").addObject();
        wrapper.put("cardId", cardId);
        ObjectNode card = wrapper.putObject("card");
        ObjectNode header = card.putObject("header");
        header.put("title", escape(latest.getType() + " × " + digest.getCount(), MAX_TITLE_CHARS));
        String first = TIME.format(digest.getFirstOccurredAt());
        String last = TIME.format(digest.getLastOccurredAt());
        header.put("subtitle", escape((first.equals(last) ? last : first + " – " + last) + " · "
                + digest.getCount() + " events, each counted once", MAX_TITLE_CHARS));
        ArrayNode widgets = card.putArray("sections").addObject().putArray("widgets");
        widgets.addObject().putObject("textParagraph").put("text", escape(headline, MAX_DIGEST_TEXT_CHARS));
        if (!samples.isEmpty()) {
            StringBuilder list = new StringBuilder();
            for (String sample : samples) {
                list.append(list.isEmpty() ? "" : "<br>").append("• ").append(escape(sample, MAX_DIGEST_SAMPLE_CHARS));
            }
            if (!more.isEmpty()) {
                list.append("<br><i>").append(more).append("</i>");
            }
            widgets.addObject().putObject("textParagraph").put("text", list.toString());
        }
        if (isHttpUrl(latest.getLink())) {
            ObjectNode button = widgets.addObject().putObject("buttonList").putArray("buttons").addObject();
            button.put("text", "Open");
            button.putObject("onClick").putObject("openLink").put("url", latest.getLink());
        }
        return message;
    }

    /** The message's size as it is posted: compact JSON in UTF-8. */
    public static int size(ObjectNode message) {
        try {
            return JSON.writeValueAsBytes(message).length;
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode layout(PlatformEvent event, String cardId, List<Map.Entry<String, String>> fields,
                                     int hiddenFields) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", text(event));
        ObjectNode wrapper = message.putArray("cardsV2").addObject();
        wrapper.put("cardId", cardId);
        ObjectNode card = wrapper.putObject("card");
        ObjectNode header = card.putObject("header");
        header.put("title", escape(event.getSummary(), MAX_TITLE_CHARS));
        header.put("subtitle", escape(subtitle(event), MAX_TITLE_CHARS));
        ArrayNode widgets = card.putArray("sections").addObject().putArray("widgets");
        if (event.getSummary().length() > MAX_TITLE_CHARS) {
            // the header shows the start only: the whole summary (up to its own limit) goes first in the section
            widgets.addObject().putObject("textParagraph").put("text", escape(event.getSummary(), MAX_SUMMARY_CHARS));
        }
        for (Map.Entry<String, String> field : fields) {
            ObjectNode decorated = widgets.addObject().putObject("decoratedText");
            decorated.put("topLabel", escape(field.getKey(), MAX_LABEL_CHARS));
            decorated.put("text", escape(field.getValue(), MAX_VALUE_CHARS));
            decorated.put("wrapText", true);
        }
        if (hiddenFields > 0) {
            widgets.addObject().putObject("textParagraph").put("text", hiddenFields
                    + (hiddenFields == 1 ? " more field" : " more fields")
                    + " not shown (the message was too large for Google Chat); open the item for the full details.");
        }
        if (isHttpUrl(event.getLink())) {
            ObjectNode button = widgets.addObject().putObject("buttonList").putArray("buttons").addObject();
            button.put("text", "Open");
            button.putObject("onClick").putObject("openLink").put("url", event.getLink());
        }
        return message;
    }

    /** The text fallback: level, summary and link, at most {@link #MAX_TEXT_CHARS}. */
    static String text(PlatformEvent event) {
        String level = levelLabel(event);
        String link = isHttpUrl(event.getLink()) && event.getLink().length() <= MAX_LINK_CHARS
                ? "\n" + event.getLink() : "";
        String prefix = level == null ? "" : level + ": ";
        // the link as it is (a URI has no < or >): Chat links it; the summary is cut to leave it room
        return cut(escape(prefix + event.getSummary()), MAX_TEXT_CHARS - link.length()) + link;
    }

    private static String subtitle(PlatformEvent event) {
        String level = levelLabel(event);
        return (level == null ? "" : level + " · ") + event.getType() + " · " + TIME.format(event.getOccurredAt());
    }

    private static String levelLabel(PlatformEvent event) {
        return switch (event.getLevel().name()) {
            case "alert" -> "Alert";
            case "warning" -> "Warning";
            default -> null;
        };
    }

    /** The envelope's and payload's fields as (label, value): payload first, in its order. */
    static List<Map.Entry<String, String>> fields(ObjectNode eventJson) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        JsonNode payload = eventJson.path("payload");
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isNull()) {
                fields.add(Map.entry(label(field.getKey()), value(field.getValue())));
            }
        }
        if (eventJson.hasNonNull("source")) {
            fields.add(Map.entry("Source", eventJson.get("source").asString("")));
        }
        JsonNode attributes = eventJson.path("attributes");
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            fields.add(Map.entry(attribute.getKey(), value(attribute.getValue())));
        }
        return fields;
    }

    /** "reportName" → "Report name", "row_count" → "Row count". */
    static String label(String key) {
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').strip();
        if (spaced.isEmpty()) {
            return key;
        }
        String lower = spaced.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static String value(JsonNode node) {
        return node.isValueNode() ? node.asString("") : node.toString();
    }

    /** {@code &}, {@code <}, {@code >} as entities, then cut to {@code max} characters. */
    static String escape(String text, int max) {
        return cut(escape(text), max);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * At most {@code max} characters of an escaped text, ending in "…" when cut; never inside an entity
     * ({@code &amp;}) nor between the two halves of a surrogate pair.
     */
    static String cut(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        int end = max - CUT.length();
        if (end > 0 && Character.isLowSurrogate(escaped.charAt(end)) && Character.isHighSurrogate(escaped.charAt(end - 1))) {
            end--;
        }
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp >= end - 5 && escaped.indexOf(';', amp) >= end) {
            end = amp; // "&amp;" and its kin are at most 5 characters long
        }
        return escaped.substring(0, end) + CUT;
    }

    private static boolean isHttpUrl(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            String scheme = URI.create(url).getScheme();
            return "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
