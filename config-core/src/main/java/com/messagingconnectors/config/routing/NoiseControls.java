package com.messagingconnectors.config.routing;

import com.messagingconnectors.config.model.IntegrationNoise;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.PlatformEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * What the digest stage must do with one routed event: fold it into which group, how long to wait, the cap of its
 * destination. Null when the route asks for none of it: the notification then goes straight to its sender.
 *
 * <p>A rule that deduplicates and an event that carries a {@code dedupKey}: the group is that key (first delivered
 * at once, repeats counted until the window ends), even when the rule also groups. Otherwise the rule's grouping.
 */
public final class NoiseControls {
    private static final char SEPARATOR = '\u001f';

    private NoiseControls() {
    }

    public static NoiseControl of(PlatformEvent event, RoutingRule rule, IntegrationNoise integration) {
        int cap = integration.capPerMinute() == null ? 0 : integration.capPerMinute();
        if (rule != null && rule.dedupe() != null && event.getDedupKey() != null) {
            return new NoiseControl("dedup" + SEPARATOR + rule.id() + SEPARATOR + event.getDedupKey(),
                    event.getType() + ", " + event.getDedupKey(), 0L, rule.dedupe().windowMillis(), true, cap);
        }
        if (rule != null && rule.grouping() != null) {
            List<String> values = new ArrayList<>();
            for (String field : rule.grouping().by()) {
                values.add(cut(valueOf(event, field)));
            }
            return new NoiseControl("group" + SEPARATOR + rule.id() + SEPARATOR + String.join(String.valueOf(SEPARATOR), values),
                    values.isEmpty() ? "all events of rule " + rule.id() : String.join(", ", values),
                    rule.grouping().waitMillis(), rule.grouping().intervalMillis(), false, cap);
        }
        if (cap > 0) {
            return new NoiseControl(null, null, 0L, 0L, false, cap);
        }
        return null;
    }

    /** The value of a group-by field; empty when the event has none. */
    static String valueOf(PlatformEvent event, String field) {
        return switch (field) {
            case "type" -> event.getType();
            case "level" -> event.getLevel().name();
            case "source" -> event.getSource() == null ? "" : event.getSource();
            default -> field.startsWith("attributes.")
                    ? event.getAttributes().getOrDefault(field.substring("attributes.".length()), "")
                    : "";
        };
    }

    private static String cut(String value) {
        return value.length() <= NoiseLimits.MAX_GROUP_VALUE ? value : value.substring(0, NoiseLimits.MAX_GROUP_VALUE);
    }
}
