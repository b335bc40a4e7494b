package com.messagingconnectors.config.model;

/**
 * One ordered routing rule of an integration.
 *
 * @param continueMatching like Alertmanager's {@code continue}: false stops at this rule when it matches
 * @param grouping         fold the rule's events into digests (null: every event is its own message)
 * @param dedupe           deliver events with the same {@code dedupKey} once per window (null: no deduplication)
 * @param mute             the rule delivers nothing until then (null: not muted)
 */
public record RoutingRule(String id, String name, RuleMatch match, String channelId, boolean continueMatching,
                          Grouping grouping, Dedupe dedupe, Mute mute) {

    /** A rule without noise control. */
    public RoutingRule(String id, String name, RuleMatch match, String channelId, boolean continueMatching) {
        this(id, name, match, channelId, continueMatching, null, null, null);
    }
}
