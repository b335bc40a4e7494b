package com.messagingconnectors.config.routing;

import com.messagingconnectors.schemas.EventJson;

import java.util.regex.Pattern;

/**
 * An event type pattern: exact ({@code report.completed}), prefix wildcard ({@code report.*}, matches
 * {@code report.completed} and {@code report.x.y}, not {@code report}) or {@code *} (everything).
 */
public record TypePattern(String text) {
    private static final Pattern SEGMENTS = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    /** Why {@code text} is not a valid pattern, or null when it is. */
    public static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return "must not be empty";
        }
        if (text.equals("*")) {
            return null;
        }
        // a tenant's text: bounded before the (linear, fixed) syntax check, whose group loop recurses per segment
        if (text.length() > EventJson.MAX_TYPE_LENGTH + 2) {
            return "must be at most " + (EventJson.MAX_TYPE_LENGTH + 2) + " characters (an event type is at most "
                    + EventJson.MAX_TYPE_LENGTH + ")";
        }
        String body = text.endsWith(".*") ? text.substring(0, text.length() - 2) : text;
        if (!SEGMENTS.matcher(body).matches()) {
            return "'" + text + "' is not a type pattern: use an exact type (report.completed), a prefix wildcard"
                    + " (report.*) or * (lower-case segments separated by dots; '*' only as the whole last segment)";
        }
        return null;
    }

    public static TypePattern parse(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TypePattern(text);
    }

    public boolean matches(String type) {
        if (text.equals("*")) {
            return true;
        }
        if (text.endsWith(".*")) {
            return type.startsWith(text.substring(0, text.length() - 1));
        }
        return text.equals(type);
    }
}
