package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.model.Dedupe;
import com.messagingconnectors.config.model.Grouping;
import com.messagingconnectors.config.model.Mute;
import com.messagingconnectors.integration.NoiseText;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.RuleInput;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The noise fields of the console's forms turned into the API's requests, and back for display. Only what a form
 * adds is checked here (a whole number, a readable time); limits and meaning are the API's validation
 * ({@code IntegrationValidator}), reached through the same service calls, so the console accepts exactly what the API
 * accepts. Times on the console are UTC.
 */
final class NoiseForms {
    static final String UNTIL_HINT = "a date and time in UTC, e.g. 2026-12-24 18:00";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private NoiseForms() {
    }

    /** Grouping from "type, attributes.sourceId" / "30s" / "5m"; null when all three are empty. */
    static RuleInput.Grouping grouping(String by, String wait, String interval) {
        List<String> fields = Arrays.stream(by.split("[,\\s]+")).filter(f -> !f.isBlank()).toList();
        if (fields.isEmpty() && wait.isBlank() && interval.isBlank()) {
            return null;
        }
        return new RuleInput.Grouping(fields, blankToNull(wait), blankToNull(interval));
    }

    static RuleInput.Dedupe dedupe(String window) {
        return window.isBlank() ? null : new RuleInput.Dedupe(window.strip());
    }

    /**
     * A mute from the form's "until" and "reason"; null when both are empty. A reason without a time is passed on,
     * so the API's validation says the time is required.
     *
     * @param field the API field name of the mute, e.g. {@code rules[2].mute}, for the error of an unreadable time
     */
    static RuleInput.Mute mute(String until, String reason, String field) {
        if (until.isBlank() && reason.isBlank()) {
            return null;
        }
        return new RuleInput.Mute(until.isBlank() ? null : instant(until, field + ".until"), blankToNull(reason));
    }

    /** The cap from the form: empty is no cap. */
    static Integer cap(String text, String field) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new DomainException.Invalid(field, "must be a whole number of messages per minute"
                    + " (leave it empty for no cap)");
        }
    }

    /** "2026-12-24 18:00", "2026-12-24T18:00" (both UTC) or an ISO-8601 time with offset. */
    static Instant instant(String text, String field) {
        String t = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new DomainException.Invalid(field, "must be " + UNTIL_HINT);
            }
        }
    }

    static String shown(Instant instant) {
        return instant == null ? "" : SHOWN.format(instant);
    }

    /** A rule's noise settings in a line: "grouped by type, source: wait 30s, then every 5m; dedupe 10m; muted …". */
    static String describe(Grouping grouping, Dedupe dedupe, Mute mute, Instant now) {
        List<String> parts = new ArrayList<>();
        if (grouping != null) {
            parts.add((grouping.by().isEmpty() ? "grouped" : "grouped by " + String.join(", ", grouping.by()))
                    + ": wait " + NoiseText.text(grouping.waitMillis()) + ", then one digest every "
                    + NoiseText.text(grouping.intervalMillis()));
        }
        if (dedupe != null) {
            parts.add("repeats of a dedupKey sent once per " + NoiseText.text(dedupe.windowMillis()));
        }
        if (mute != null && mute.activeAt(now)) {
            parts.add("muted until " + shown(mute.until()) + " UTC" + (mute.reason() == null ? "" : " (" + mute.reason() + ")"));
        }
        return String.join("; ", parts);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
