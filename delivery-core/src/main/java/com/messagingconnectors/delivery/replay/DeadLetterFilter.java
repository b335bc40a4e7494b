package com.messagingconnectors.delivery.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which dead letters an operator means. Every criterion is optional; set ones must all match.
 *
 * @param workspace workspace id of the event, e.g. ws_acme
 * @param destination destination id (integrationId/channelId)
 * @param type event type, e.g. report.completed
 * @param error error class: the full class name of the reason, or its simple name (e.g. "Permanent")
 * @param from dead-lettered at or after (inclusive)
 * @param to dead-lettered before (exclusive)
 * @param ids notification ids; empty = any
 * @param records dead-letter record ids ({@code <partition>-<offset>}, see {@link DeadLetter#id()}); empty = any
 * @param limit at most this many matches (oldest first)
 */
public record DeadLetterFilter(String workspace, String destination, String type, String error, Instant from,
        Instant to, Set<String> ids, Set<String> records, int limit) {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 100_000;

    public DeadLetterFilter {
        workspace = blankToNull(workspace);
        destination = blankToNull(destination);
        type = blankToNull(type);
        error = blankToNull(error);
        ids = ids == null ? Set.of() : Set.copyOf(ids);
        records = records == null ? Set.of() : Set.copyOf(records);
        List<String> problems = new ArrayList<>();
        for (String record : records) {
            if (!record.matches("[0-9]{1,9}-[0-9]{1,19}")) {
                problems.add("record id '" + record + "' is not of the form <partition>-<offset>, e.g. 0-42");
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add("'limit' must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (!problems.isEmpty()) {
            throw new ReplayArgumentException(problems);
        }
    }

    /** Everything, up to the default limit. */
    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null, null, null, null, null, Set.of(), Set.of(), DEFAULT_LIMIT);
    }

    /**
     * A filter from request parameters as text (HTTP query, CLI); every problem reported at once.
     *
     * @param from ISO-8601 instant with offset, e.g. 2026-03-01T12:00:00Z
     * @param limit null for the default
     */
    public static DeadLetterFilter parse(String workspace, String destination, String type, String error,
            String from, String to, List<String> ids, List<String> records, String limit) {
        List<String> problems = new ArrayList<>();
        Instant fromInstant = instant("from", from, problems);
        Instant toInstant = instant("to", to, problems);
        int parsedLimit = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                parsedLimit = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                problems.add("'limit' must be a whole number, was '" + limit + "'");
            }
        }
        try {
            DeadLetterFilter filter = new DeadLetterFilter(workspace, destination, type, error, fromInstant, toInstant,
                    splitList(ids), splitList(records), parsedLimit);
            if (!problems.isEmpty()) {
                throw new ReplayArgumentException(problems);
            }
            return filter;
        } catch (ReplayArgumentException e) {
            problems.addAll(e.problems());
            throw new ReplayArgumentException(problems.stream().distinct().toList());
        }
    }

    /** Values that may each be comma-separated lists themselves (?ids=a,b&ids=c). */
    private static Set<String> splitList(List<String> values) {
        Set<String> result = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value == null ? new String[0] : value.split(",")) {
                    if (!part.isBlank()) {
                        result.add(part.strip());
                    }
                }
            }
        }
        return result;
    }

    /** True when the filter selects something narrower than "every dead letter". */
    public boolean isSelective() {
        return workspace != null || destination != null || type != null || error != null || from != null
                || to != null || !ids.isEmpty() || !records.isEmpty();
    }

    public boolean matches(DeadLetter letter) {
        return (workspace == null || workspace.equals(letter.workspaceId()))
                && (destination == null || destination.equals(letter.destinationId()))
                && (type == null || type.equals(letter.eventType()))
                && (error == null || matchesError(letter))
                && (from == null || !letter.deadLetteredAt().isBefore(from))
                && (to == null || letter.deadLetteredAt().isBefore(to))
                && (ids.isEmpty() || ids.contains(letter.notificationId()))
                && (records.isEmpty() || records.contains(letter.id()));
    }

    private boolean matchesError(DeadLetter letter) {
        String errorClass = letter.errorClass();
        if (errorClass == null) {
            return false;
        }
        // "Permanent" matches com.messagingconnectors.delivery.DeliveryException$Permanent
        return errorClass.equals(error) || errorClass.endsWith("." + error) || errorClass.endsWith("$" + error);
    }

    private static Instant instant(String name, String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add("'" + name + "' must be an ISO-8601 date-time with offset such as 2026-03-01T12:00:00Z, was '"
                    + text + "'");
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
