package com.messagingconnectors.config.model;

import java.util.List;

/**
 * A destination inside an integration, typed by its kind: a Slack channel, a Teams channel, a webhook endpoint, a
 * Google Chat space. Which record an integration's channels are is fixed by its {@link IntegrationKind} (the kind's
 * {@code ChannelKind#channelType()}); connectors.config stores them as plain JSON objects inside the integration.
 */
public sealed interface ChannelConfig
        permits SlackChannelConfig, TeamsChannelConfig, WebhookEndpointConfig, GoogleChatSpaceConfig {

    /** Stable id inside the integration (the platform's channel id, or a generated endpoint id). */
    String id();

    /** What people call it, e.g. "#analytics-team". */
    String name();

    /** False when the channel was switched off (by an admin, or after failing for too long). */
    boolean enabled();

    ChannelConfig withEnabled(boolean enabled);

    /** The notification types this destination accepts (patterns; empty = all). Only webhook endpoints filter. */
    default List<String> types() {
        return List.of();
    }
}
