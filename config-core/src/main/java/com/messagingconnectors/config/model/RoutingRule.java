package com.messagingconnectors.config.model;

/**
 * One ordered routing rule of an integration.
 *
 * @param continueMatching like Alertmanager's {@code continue}: false stops at this rule when it matches
 */
public record RoutingRule(String id, String name, RuleMatch match, String channelId, boolean continueMatching) {
}
