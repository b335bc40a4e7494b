package com.messagingconnectors.schemas;

import com.messagingconnectors.schemas.avro.Digest;

import java.time.Duration;
import java.util.List;

/**
 * The one wording of a digest (a message standing for several events of a group), shared by the digest stage (which
 * writes it into the event's summary, so any sender shows something sensible) and the chat formatters (which lay the
 * same parts out as a headline, a short list and "and N more"). Plain text: each caller escapes for its platform.
 */
public final class DigestText {
    /** How many sample summaries a chat message lists at most, however many the digest carries. */
    public static final int MAX_LISTED_SAMPLES = 5;

    private DigestText() {
    }

    /**
     * "sync.failed × 37 for pg-prod in the last 5 min", "alert.triggered repeated 4 more times (cpu) in the last 2 min"
     * or "sync.failed × 12 held back by the limit of 10 messages per minute" ({@code capPerMinute} 0: limit unknown).
     */
    public static String headline(String type, String reason, int count, String label, Duration span,
                                  int capPerMinute) {
        String in = " in the last " + human(span);
        return switch (reason == null ? "grouped" : reason) {
            case "deduplicated" -> type + " repeated " + count + (count == 1 ? " more time" : " more times")
                    + (label == null ? "" : " (" + label + ")") + in;
            case "capped" -> type + " × " + count + " held back by the " + (capPerMinute > 0
                    ? "limit of " + capPerMinute + " messages per minute" : "per-minute message limit");
            default -> type + " × " + count + (label == null ? "" : " for " + label) + in;
        };
    }

    /**
     * The headline of a digest record as a chat message shows it. The record does not carry the stage's window, so
     * the span is the one its events occurred over (at least a second).
     */
    public static String headline(String type, Digest digest) {
        Duration span = Duration.between(digest.getFirstOccurredAt(), digest.getLastOccurredAt());
        return headline(type, digest.getReason(), digest.getCount(), digest.getGroupLabel(), span, 0);
    }

    /** The first few sample summaries a chat message lists. */
    public static List<String> listedSamples(Digest digest) {
        List<String> samples = digest.getSamples();
        return List.copyOf(samples.subList(0, Math.min(samples.size(), MAX_LISTED_SAMPLES)));
    }

    /** "and 32 more" for the events a message does not list; empty when it lists them all. */
    public static String more(int count, int listed) {
        int rest = count - listed;
        return rest <= 0 ? "" : "and " + rest + " more";
    }

    /** "45 s", "5 min", "3 h": rounded up, at least one second. */
    public static String human(Duration d) {
        long seconds = Math.max(1, (Math.max(0, d.toMillis()) + 999) / 1000);
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        return minutes < 120 ? minutes + " min" : (minutes + 59) / 60 + " h";
    }
}
