package com.messagingconnectors.config.model;

/** A Slack channel the bot posts to; {@code id} is Slack's channel id, {@code name} "#name". */
public record SlackChannelConfig(String id, String name, boolean enabled) implements ChannelConfig {
    public SlackChannelConfig(String id, String name) {
        this(id, name, true);
    }

    @Override
    public SlackChannelConfig withEnabled(boolean enabled) {
        return new SlackChannelConfig(id, name, enabled);
    }
}
