package com.messagingconnectors.config.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One integration of a workspace as stored on connectors.config (key {@code integration/<workspaceId>/<id>}): its
 * channels, which notification types it wants, and its ordered routing rules. One record per integration, so that a
 * reader always sees channels, toggles and rules that belong together.
 *
 * @param notificationTypes per-type toggles; a type not listed is off
 * @param channels          the destinations, each the channel record of {@code kind}
 * @param credentials       kind-specific secrets (Slack bot token, Teams refresh token, Workflows URL), encrypted,
 *                          by the credential keys of the kind's descriptor (config.kinds)
 * @param version           incremented on every change; the API's ETag
 */
public record IntegrationConfig(
        String id,
        String workspaceId,
        IntegrationKind kind,
        String name,
        boolean enabled,
        Map<String, Boolean> notificationTypes,
        String defaultChannelId,
        List<ChannelConfig> channels,
        List<RoutingRule> rules,
        Map<String, EncryptedSecret> credentials,
        Map<String, String> properties,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public IntegrationConfig {
        notificationTypes = notificationTypes == null ? Map.of() : Map.copyOf(notificationTypes);
        channels = channels == null ? List.of() : List.copyOf(channels);
        rules = rules == null ? List.of() : List.copyOf(rules);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public Optional<ChannelConfig> channel(String channelId) {
        return channels.stream().filter(c -> c.id().equals(channelId)).findFirst();
    }

    public IntegrationConfig withChannels(List<? extends ChannelConfig> channels) {
        return new IntegrationConfig(id, workspaceId, kind, name, enabled, notificationTypes, defaultChannelId,
                List.copyOf(channels), rules, credentials, properties, version, createdAt, updatedAt);
    }

    public boolean typeEnabled(String type) {
        return Boolean.TRUE.equals(notificationTypes.get(type));
    }

    /** The destination id of DESIGN.md: integration + channel/endpoint. Key of the per-channel topics. */
    public String destinationId(String channelId) {
        return id + "/" + channelId;
    }
}
