package com.messagingconnectors.config.routing;

import com.messagingconnectors.config.model.IntegrationKind;

/**
 * One destination an event goes to.
 *
 * @param ruleId the rule that chose it, or null when it is the integration's default channel
 */
public record Route(String integrationId, IntegrationKind kind, String channelId, String channelName,
                    String destinationId, String ruleId, String why) {
}
