package com.messagingconnectors.config.model;

import com.messagingconnectors.config.kinds.ChannelKind;
import com.messagingconnectors.config.kinds.GoogleChatKind;
import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.kinds.WebhookKind;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registry of channel kinds: one line per kind, naming its descriptor. Everything that lists kinds (topics, API
 * validation and schema, topic creation, the deploy manifests' test) derives from this list; a new kind is its
 * sender module, its descriptor in {@code config.kinds}, its channel record, and a line here.
 */
public enum IntegrationKind {
    slack(SlackKind.DESCRIPTOR),
    teams(TeamsKind.DESCRIPTOR),
    webhook(WebhookKind.DESCRIPTOR),
    googlechat(GoogleChatKind.DESCRIPTOR);

    /** Every kind's id, in registry order: "slack", "teams", … */
    public static final List<String> IDS = Arrays.stream(values()).map(IntegrationKind::name).toList();

    private final ChannelKind descriptor;

    IntegrationKind(ChannelKind descriptor) {
        if (!descriptor.id().equals(name())) {
            throw new IllegalStateException("kind " + name() + " names the descriptor of " + descriptor.id());
        }
        this.descriptor = descriptor;
    }

    public ChannelKind descriptor() {
        return descriptor;
    }

    /** The per-channel topic name part: notifications.&lt;channel&gt;. */
    public String channel() {
        return name();
    }

    public static Optional<IntegrationKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.name().equals(id)).findFirst();
    }
}
