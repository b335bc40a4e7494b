package com.messagingconnectors.slack;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.messagingconnectors.schemas.DigestText;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an event into a Slack message: Block Kit (header, summary, key payload fields, time + workspace context, a
 * button to the item) plus the plain {@code text} fallback Slack uses for notifications; a digest gets its own
 * layout ({@link #formatDigest}). Pure: no I/O.
 *
 * <p>All event text is escaped ({@code & < >}) so event data can never produce {@code <!channel>}, {@code <!here>},
 * user mentions or links; Slack's limits are kept with a visible "…".
 */
public final class SlackMessageFormatter {
    static final int MAX_BLOCKS = 50;
    static final int MAX_HEADER_CHARS = 150;
    static final int MAX_SECTION_CHARS = 3000;
    static final int MAX_FIELD_CHARS = 2000;
    static final int MAX_FIELDS_PER_SECTION = 10;
    static final int MAX_BUTTON_TEXT_CHARS = 75;
    static final int MAX_URL_CHARS = 3000;
    static final int MAX_FALLBACK_CHARS = 3000;
    static final String ELLIPSIS = "…";
    static final int MAX_DIGEST_SAMPLE_CHARS = 300;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** What chat.postMessage gets. */
    public record SlackMessage(String text, List<LayoutBlock> blocks) {
    }

    /** The header line of the known types; a new type gets its name in words ("invoice.paid" → "Invoice paid"). */
    private static final Map<String, String> TITLES = Map.of(
            "report.completed", "📊 Report completed",
            "sync.failed", "⚠️ Sync failed",
            "user.invited", "✉️ Member invited",
            "user.deactivated", "🔒 Member deactivated",
            "alert.triggered", "🚨 Alert triggered",
            "alert.resolved", "✅ Alert resolved");

    /** A notification's message: a digest when it stands for several events, else its event's message. */
    public SlackMessage format(Notification notification) {
        Digest digest = notification.getDigest();
        return digest == null ? format(notification.getEvent()) : formatDigest(notification.getEvent(), digest);
    }

    /**
     * A digest: the headline ({@link DigestText}), the first few summaries as a list, "and N more", the time span and
     * a button to the latest event's item. Samples are cut one by one, so the list always fits one section.
     */
    SlackMessage formatDigest(PlatformEvent latest, Digest digest) {
        String title = TITLES.getOrDefault(latest.getType(), words(latest.getType())) + " × " + digest.getCount();
        String headline = DigestText.headline(latest.getType(), digest);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder().text(plain(escapeAndLimit(title, MAX_HEADER_CHARS))).build());
        blocks.add(SectionBlock.builder().text(markdown(escapeAndLimit(headline, MAX_SECTION_CHARS))).build());

        List<String> samples = DigestText.listedSamples(digest);
        String more = DigestText.more(digest.getCount(), samples.size());
        if (!samples.isEmpty()) {
            // room per sample: the section's limit shared by the listed samples and the "and N more" line
            int each = (MAX_SECTION_CHARS - more.length() - 8) / samples.size() - 3;
            StringBuilder list = new StringBuilder();
            for (String sample : samples) {
                list.append("• ").append(escapeAndLimit(sample, Math.min(each, MAX_DIGEST_SAMPLE_CHARS))).append('\n');
            }
            if (!more.isEmpty()) {
                list.append('_').append(more).append('_');
            }
            blocks.add(SectionBlock.builder().text(markdown(list.toString().strip())).build());
        }
        String span = TIME.format(digest.getFirstOccurredAt()).equals(TIME.format(digest.getLastOccurredAt()))
                ? TIME.format(digest.getLastOccurredAt())
                : TIME.format(digest.getFirstOccurredAt()) + " – " + TIME.format(digest.getLastOccurredAt());
        String context = "🕒 " + span + "  ·  workspace " + escape(latest.getWorkspaceId())
                + "  ·  " + digest.getCount() + " events, each counted once";
        blocks.add(ContextBlock.builder().elements(List.of(markdown(limitEscaped(context, MAX_SECTION_CHARS)))).build());

        String link = safeLink(latest.getLink());
        if (link != null) {
            blocks.add(ActionsBlock.builder().elements(List.of(ButtonElement.builder()
                    .actionId("open_item").text(plain("Open")).url(link).build())).build());
        }
        String fallback = escapeAndLimit(headline + (samples.isEmpty() ? "" : ": " + String.join("; ", samples))
                + (more.isEmpty() ? "" : "; " + more), MAX_FALLBACK_CHARS);
        return new SlackMessage(fallback, blocks);
    }

    public SlackMessage format(PlatformEvent event) {
        String title = TITLES.getOrDefault(event.getType(), words(event.getType()));
        String subject = subject(event);
        String headerText = subject == null ? title : title + ": " + subject;

        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder().text(plain(escapeAndLimit(headerText, MAX_HEADER_CHARS))).build());
        blocks.add(SectionBlock.builder().text(markdown(escapeAndLimit(event.getSummary(), MAX_SECTION_CHARS))).build());

        // blocks left for fields: header + summary + context + actions are fixed
        int room = MAX_BLOCKS - 4;
        List<TextObject> fields = new ArrayList<>();
        if (event.getLevel() != null && !"info".equals(event.getLevel().name())) {
            fields.add(field("Level", event.getLevel().name()));
        }
        Map<String, String> payload = payloadFields(event);
        int shown = 0;
        for (Map.Entry<String, String> entry : payload.entrySet()) {
            if (fields.size() == MAX_FIELDS_PER_SECTION) {
                if (room == 1) {
                    break;
                }
                blocks.add(SectionBlock.builder().fields(fields).build());
                room--;
                fields = new ArrayList<>();
            }
            fields.add(field(words(entry.getKey()), entry.getValue()));
            shown++;
        }
        if (!fields.isEmpty()) {
            blocks.add(SectionBlock.builder().fields(fields).build());
        }
        int hidden = payload.size() - shown;
        String context = "🕒 " + TIME.format(event.getOccurredAt()) + "  ·  workspace " + escape(event.getWorkspaceId())
                + (event.getSource() == null ? "" : "  ·  from " + escape(event.getSource()))
                + (hidden > 0 ? "  ·  " + hidden + " more field" + (hidden == 1 ? "" : "s") + " not shown" + ELLIPSIS : "");
        blocks.add(ContextBlock.builder().elements(List.of(markdown(limitEscaped(context, MAX_SECTION_CHARS)))).build());

        String link = safeLink(event.getLink());
        if (link != null) {
            blocks.add(ActionsBlock.builder().elements(List.of(ButtonElement.builder()
                    .actionId("open_item").text(plain(limitEscaped("Open", MAX_BUTTON_TEXT_CHARS))).url(link)
                    .build())).build());
        }

        String fallback = escapeAndLimit(headerText + " — " + event.getSummary(), MAX_FALLBACK_CHARS);
        return new SlackMessage(fallback, blocks);
    }

    /** Slack's "good" green: the bar beside a resolved alert. */
    static final String RESOLVED_COLOR = "#2eb886";
    static final String RESOLVED_PREFIX = "✅ Resolved: ";
    private static final Gson SLACK_JSON = GsonFactory.createSnakeCase();

    /** What chat.update gets for a resolved alert (blocks and attachments as Slack's JSON). */
    public record SlackUpdate(String text, String blocksJson, String attachmentsJson) {
    }

    /** Blocks as the JSON Slack receives, to keep a posted message's content for a later update. */
    public String blocksJson(List<LayoutBlock> blocks) {
        return SLACK_JSON.toJson(blocks);
    }

    /**
     * The alert's original message, resolved: "✅ Resolved: " in front of its header and its notification text, its
     * content unchanged, and below it a green bar saying when it resolved and the resolution's summary.
     *
     * @param originalText   the text the alert was posted with
     * @param originalBlocks the blocks it was posted with, as JSON ({@link #blocksJson})
     */
    public SlackUpdate resolvedUpdate(PlatformEvent resolved, String originalText, String originalBlocks) {
        ArrayNode blocks;
        try {
            JsonNode parsed = JSON.readTree(originalBlocks == null ? "[]" : originalBlocks);
            blocks = parsed.isArray() ? (ArrayNode) parsed : JSON.createArrayNode();
        } catch (Exception unreadable) {
            blocks = JSON.createArrayNode();
        }
        JsonNode first = blocks.path(0);
        if ("header".equals(first.path("type").asString("")) && first.path("text").isObject()) {
            ObjectNode text = (ObjectNode) first.path("text");
            text.put("text", limitEscaped(RESOLVED_PREFIX + text.path("text").asString(""), MAX_HEADER_CHARS));
        }
        String when = TIME.format(resolvedAt(resolved));
        ObjectNode line = JSON.createObjectNode().put("type", "section");
        line.putObject("text").put("type", "mrkdwn").put("text", limitEscaped("✅ *Resolved* " + when + "  ·  "
                + escapeAndLimit(resolved.getSummary(), MAX_SECTION_CHARS), MAX_SECTION_CHARS));
        ArrayNode attachments = JSON.createArrayNode();
        ObjectNode bar = attachments.addObject().put("color", RESOLVED_COLOR)
                .put("fallback", escapeAndLimit("Resolved " + when + ": " + resolved.getSummary(), MAX_FALLBACK_CHARS));
        bar.putArray("blocks").add(line);
        String text = limitEscaped(RESOLVED_PREFIX + (originalText == null ? "" : originalText), MAX_FALLBACK_CHARS);
        return new SlackUpdate(text, blocks.toString(), attachments.toString());
    }

    /** When the alert resolved: the payload's resolvedAt, else when the event occurred. */
    private static java.time.Instant resolvedAt(PlatformEvent event) {
        return event.getPayload() instanceof com.messagingconnectors.schemas.avro.AlertResolved r
                && r.getResolvedAt() != null ? r.getResolvedAt() : event.getOccurredAt();
    }

    /** The item the event is about, when the payload names it (report name, source name, user email, alert name). */
    private static String subject(PlatformEvent event) {
        Object p = event.getPayload();
        if (p instanceof com.messagingconnectors.schemas.avro.ReportCompleted r) {
            return r.getReportName();
        } else if (p instanceof com.messagingconnectors.schemas.avro.SyncFailed s) {
            return s.getSourceName();
        } else if (p instanceof com.messagingconnectors.schemas.avro.UserInvited u) {
            return u.getUserEmail();
        } else if (p instanceof com.messagingconnectors.schemas.avro.UserDeactivated u) {
            return u.getUserEmail();
        } else if (p instanceof com.messagingconnectors.schemas.avro.AlertTriggered a) {
            return a.getAlertName();
        } else if (p instanceof com.messagingconnectors.schemas.avro.AlertResolved a) {
            return a.getAlertName();
        }
        return null;
    }

    /**
     * The payload's fields in schema order, values as text. Typed payloads by their Avro schema (so a field added to a
     * schema shows up without a change here); a generic payload by its JSON's top-level members.
     */
    static Map<String, String> payloadFields(PlatformEvent event) {
        Map<String, String> out = new LinkedHashMap<>();
        Object payload = event.getPayload();
        if (payload instanceof GenericPayload generic) {
            try {
                JsonNode json = JSON.readTree(generic.getJson());
                json.properties().forEach(e -> {
                    if (!e.getValue().isNull()) {
                        out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString("") : e.getValue().toString());
                    }
                });
            } catch (Exception unreadable) {
                out.put("payload", generic.getJson());
            }
        } else if (payload instanceof SpecificRecord record) {
            for (Schema.Field f : record.getSchema().getFields()) {
                Object value = record.get(f.pos());
                if (value != null) {
                    out.put(f.name(), value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)
                            ? String.valueOf(d.longValue()) : value.toString());
                }
            }
        }
        return out;
    }

    /** Escapes the three characters Slack treats as control sequences (its documented escaping). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes, then cuts to {@code max} characters (counted after escaping) ending in "…"; never inside an entity. */
    static String escapeAndLimit(String raw, int max) {
        String text = raw == null ? "" : raw;
        if (escape(text).length() <= max) {
            return escape(text);
        }
        StringBuilder out = new StringBuilder(max);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String piece = escape(new String(Character.toChars(cp)));
            if (out.length() + piece.length() > max - ELLIPSIS.length()) {
                break;
            }
            out.append(piece);
            i += Character.charCount(cp);
        }
        return out.append(ELLIPSIS).toString();
    }

    /** Cuts text that is already escaped (our own context line). */
    private static String limitEscaped(String escaped, int max) {
        return escaped.length() <= max ? escaped : escaped.substring(0, max - 1) + ELLIPSIS;
    }

    /** Only http(s) links become buttons; anything else (javascript:, too long) is left out. */
    static String safeLink(String link) {
        if (link == null || link.length() > MAX_URL_CHARS) {
            return null;
        }
        String lower = link.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? link : null;
    }

    private static TextObject field(String label, String value) {
        String labelText = "*" + escapeAndLimit(label, 100) + "*\n";
        return markdown(labelText + escapeAndLimit(value, MAX_FIELD_CHARS - labelText.length()));
    }

    /** "report.completed" → "Report completed", "rowCount" → "Row count". */
    static String words(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('.', ' ').replace('_', ' ')
                .toLowerCase(Locale.ROOT).strip();
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static PlainTextObject plain(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }
}
