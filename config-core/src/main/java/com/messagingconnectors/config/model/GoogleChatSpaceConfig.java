package com.messagingconnectors.config.model;

/**
 * A Google Chat space reached through its incoming webhook. The webhook URL carries the space's key and token, so it
 * is stored sealed (purpose {@code GoogleChatKind.webhookUrlPurpose}) and never shown again.
 */
public record GoogleChatSpaceConfig(String id, String name, EncryptedSecret webhookUrl, boolean enabled)
        implements ChannelConfig {

    @Override
    public GoogleChatSpaceConfig withEnabled(boolean enabled) {
        return new GoogleChatSpaceConfig(id, name, webhookUrl, enabled);
    }

    /** Never shows the sealed URL. */
    @Override
    public String toString() {
        return "GoogleChatSpaceConfig[id=" + id + ", name=" + name + ", enabled=" + enabled + "]";
    }
}
