package com.messagingconnectors.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The one reader of Retry-After (RFC 9110 §10.2.3) for every channel. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * Delta-seconds or an HTTP-date, as a delay from {@code now}; null when absent or unreadable (a date in the past
     * is zero).
     */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, at);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The Retry-After among {@code headers} (names compared case-insensitively), or null. */
    public static Duration parse(Map<String, List<String>> headers, Instant now) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(header.getKey()) && header.getValue() != null
                    && !header.getValue().isEmpty()) {
                return parse(header.getValue().getFirst(), now);
            }
        }
        return null;
    }
}
