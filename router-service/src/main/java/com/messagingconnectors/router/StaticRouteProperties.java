package com.messagingconnectors.router;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one routing rule of the walking skeleton, from configuration: every event whose type matches
 * {@code typePattern} goes to one destination. Routing rules from connectors.config replace it.
 *
 * @param channel slack | teams | webhook: picks the topic notifications.&lt;channel&gt;
 * @param typePattern glob over event types, {@code *} matches any characters (e.g. {@code report.*})
 */
@ConfigurationProperties("connectors.router.static-route")
public record StaticRouteProperties(String channel, String destinationId, String integrationId, String target,
        String typePattern) {

    public StaticRouteProperties {
        channel = channel == null ? "webhook" : channel;
        destinationId = destinationId == null ? "local/sandbox" : destinationId;
        integrationId = integrationId == null ? "local" : integrationId;
        target = target == null ? "sandbox" : target;
        typePattern = typePattern == null || typePattern.isBlank() ? "*" : typePattern;
    }
}
