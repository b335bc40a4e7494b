package com.messagingconnectors.config.model;

import java.time.Instant;

/**
 * What a sender (or the router) reports about an integration on connectors.status (key = integration id, JSON value):
 * token revoked, endpoint disabled, repeated failures, recovered, a periodic "last delivered at", or how many events
 * a mute held back. The topic is not compacted, so every report counts: counts are summed, not replaced.
 *
 * @param state     connected | disconnected | unhealthy | delivered (a successful delivery, reported at most
 *                  every few seconds per integration) | muted (events a mute held back, by the router, at most every
 *                  few seconds per integration; it says nothing about health)
 * @param channelId the channel or endpoint concerned, when it is one of them (e.g. a disabled endpoint)
 * @param reason    short machine-readable reason (token_revoked, endpoint_disabled, repeated_failures, recovered …)
 * @param message   what an admin can act on; never a secret
 * @param count     for {@link #MUTED}: how many events were muted since the previous report; null otherwise
 */
public record StatusReport(String workspaceId, String integrationId, String channelId, String state, String reason,
                           String message, Instant at, Long count) {
    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String UNHEALTHY = "unhealthy";
    public static final String DELIVERED = "delivered";
    public static final String MUTED = "muted";

    /** A report that counts nothing: every state but {@link #MUTED}. */
    public StatusReport(String workspaceId, String integrationId, String channelId, String state, String reason,
                        String message, Instant at) {
        this(workspaceId, integrationId, channelId, state, reason, message, at, null);
    }
}
