package com.messagingconnectors.integration.domain;

import java.util.List;
import java.util.Map;

/**
 * What a caller wants an integration to be, as the services take it (the API's JSON and the console's forms are
 * translated into it by their controllers). Absent fields take their documented defaults.
 *
 * @param resolvedAlerts Slack only: how an {@code alert.resolved} shows; null keeps the stored choice
 */
public record IntegrationInput(String kind, String name, Boolean enabled, Map<String, Boolean> notificationTypes,
                               String defaultChannelId, List<ChannelInput> channels, List<RuleInput> rules,
                               String resolvedAlerts) {
    /** An input that leaves how Slack shows resolved alerts as it is. */
    public IntegrationInput(String kind, String name, Boolean enabled, Map<String, Boolean> notificationTypes,
                            String defaultChannelId, List<ChannelInput> channels, List<RuleInput> rules) {
        this(kind, name, enabled, notificationTypes, defaultChannelId, channels, rules, null);
    }
}
