package com.messagingconnectors.config.model;

/** A Microsoft Teams channel; {@code teamId} is the team it belongs to (both Graph ids). */
public record TeamsChannelConfig(String id, String name, String teamId, boolean enabled) implements ChannelConfig {
    public TeamsChannelConfig(String id, String name, String teamId) {
        this(id, name, teamId, true);
    }

    @Override
    public TeamsChannelConfig withEnabled(boolean enabled) {
        return new TeamsChannelConfig(id, name, teamId, enabled);
    }
}
