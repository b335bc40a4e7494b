package com.messagingconnectors.config.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An integration's own noise settings: a cap on messages per destination per minute, and a mute. Kept in the
 * integration's {@code properties} (keys below) so every rewrite of the integration carries them unchanged.
 *
 * @param capPerMinute at most this many messages per destination (channel or endpoint) per minute; null: no cap
 * @param mute         the whole integration delivers nothing until then; null: not muted
 */
public record IntegrationNoise(Integer capPerMinute, Mute mute) {
    public static final String CAP_PER_MINUTE = "noise.cap_per_minute";
    public static final String MUTED_UNTIL = "noise.muted_until";
    public static final String MUTE_REASON = "noise.mute_reason";
    public static final IntegrationNoise NONE = new IntegrationNoise(null, null);

    public static IntegrationNoise of(IntegrationConfig integration) {
        Map<String, String> p = integration.properties();
        Integer cap = null;
        Mute mute = null;
        try {
            cap = p.containsKey(CAP_PER_MINUTE) ? Integer.valueOf(p.get(CAP_PER_MINUTE)) : null;
            mute = p.containsKey(MUTED_UNTIL) ? new Mute(Instant.parse(p.get(MUTED_UNTIL)), p.get(MUTE_REASON)) : null;
        } catch (RuntimeException e) {
            // only integration-service writes these, validated; an unreadable value means "not set"
        }
        return new IntegrationNoise(cap, mute);
    }

    /** {@code properties} with these settings in place of the previous ones. */
    public Map<String, String> applyTo(Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>(properties);
        out.remove(CAP_PER_MINUTE);
        out.remove(MUTED_UNTIL);
        out.remove(MUTE_REASON);
        if (capPerMinute != null) {
            out.put(CAP_PER_MINUTE, capPerMinute.toString());
        }
        if (mute != null && mute.until() != null) {
            out.put(MUTED_UNTIL, mute.until().toString());
            if (mute.reason() != null) {
                out.put(MUTE_REASON, mute.reason());
            }
        }
        return out;
    }
}
