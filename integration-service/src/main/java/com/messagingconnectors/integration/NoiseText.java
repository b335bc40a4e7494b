package com.messagingconnectors.integration;

import com.messagingconnectors.config.model.Dedupe;
import com.messagingconnectors.config.model.Grouping;
import com.messagingconnectors.config.model.Mute;
import com.messagingconnectors.integration.domain.RuleInput;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API's text form of noise settings ({@code 30s}, {@code 5m}, {@code 1h}) to and from the stored model. */
public final class NoiseText {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(ms|s|m|h)");

    private NoiseText() {
    }

    /** The duration {@code text} names, or null when it is not one. */
    public static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    public static String text(long millis) {
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Only for a request the validator accepted. */
    static Grouping grouping(RuleInput.Grouping request) {
        return request == null ? null : new Grouping(request.by(),
                request.waitTime() == null ? 0 : duration(request.waitTime()).toMillis(), duration(request.interval()).toMillis());
    }

    static Dedupe dedupe(RuleInput.Dedupe request) {
        return request == null ? null : new Dedupe(duration(request.window()).toMillis());
    }

    public static Mute mute(RuleInput.Mute request) {
        return request == null || request.until() == null ? null
                : new Mute(request.until(), request.reason() == null ? null : request.reason().strip());
    }

    public static RuleInput.Grouping view(Grouping grouping) {
        return grouping == null ? null
                : new RuleInput.Grouping(grouping.by(), text(grouping.waitMillis()), text(grouping.intervalMillis()));
    }

    public static RuleInput.Dedupe view(Dedupe dedupe) {
        return dedupe == null ? null : new RuleInput.Dedupe(text(dedupe.windowMillis()));
    }

    public static RuleInput.Mute view(Mute mute) {
        return mute == null ? null : new RuleInput.Mute(mute.until(), mute.reason());
    }
}
