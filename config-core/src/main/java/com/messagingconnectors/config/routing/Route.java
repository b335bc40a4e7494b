package com.messagingconnectors.config.routing;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.schemas.avro.NoiseControl;

/**
 * One destination an event goes to.
 *
 * @param ruleId       the rule that chose it, or null when it is the integration's default channel
 * @param noiseControl grouping, deduplication or a cap to apply before delivery (via the digest stage); null: straight
 *                     to the sender
 */
public record Route(String integrationId, IntegrationKind kind, String channelId, String channelName,
                    String destinationId, String ruleId, String why, NoiseControl noiseControl) {

    /** A route straight to its sender. */
    public Route(String integrationId, IntegrationKind kind, String channelId, String channelName,
                 String destinationId, String ruleId, String why) {
        this(integrationId, kind, channelId, channelName, destinationId, ruleId, why, null);
    }
}
