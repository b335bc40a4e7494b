package com.messagingconnectors.integration.domain;

import com.messagingconnectors.config.model.AttributeMatch;

import java.time.Instant;
import java.util.List;

/** A routing rule as the services take it; durations in their text form ({@code 30s}, {@code 5m}, {@code 1h}). */
public record RuleInput(String id, String name, Match match, String channelId, Boolean continueMatching,
                        Grouping grouping, Dedupe dedupe, Mute mute) {
    /** A rule without noise control. */
    public RuleInput(String id, String name, Match match, String channelId, Boolean continueMatching) {
        this(id, name, match, channelId, continueMatching, null, null, null);
    }

    public record Match(List<String> types, List<String> levels, List<AttributeMatch> attributes) {
    }

    public record Grouping(List<String> by, String waitTime, String interval) {
    }

    public record Dedupe(String window) {
    }

    /** Nothing is delivered until {@code until}. */
    public record Mute(Instant until, String reason) {
    }

    /** An integration's cap and mute; null: no cap, not muted. */
    public record Noise(Integer capPerMinute, Mute mute) {
    }
}
