package com.messagingconnectors.config.model;

import java.time.Instant;

/**
 * What a sender reports about an integration's health on connectors.status (key = integration id, JSON value):
 * token revoked, endpoint disabled, repeated failures, recovered, or a periodic "last delivered at".
 *
 * @param state     connected | disconnected | unhealthy | delivered (a successful delivery, reported at most
 *                  every few seconds per integration)
 * @param channelId the channel or endpoint concerned, when it is one of them (e.g. a disabled endpoint)
 * @param reason    short machine-readable reason (token_revoked, endpoint_disabled, repeated_failures, recovered …)
 * @param message   what an admin can act on; never a secret
 */
public record StatusReport(String workspaceId, String integrationId, String channelId, String state, String reason,
                           String message, Instant at) {
    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String UNHEALTHY = "unhealthy";
    public static final String DELIVERED = "delivered";
}
