package com.messagingconnectors.integration.domain;

import com.messagingconnectors.config.kinds.ChannelFields;

import java.util.List;
import java.util.Map;

/** A channel of any kind as its descriptor (config-core, {@code config.kinds}) checks and builds it. */
public record ChannelInput(String id, String name, String teamId, String url, String description, List<String> types,
                           Map<String, String> headers, Boolean enabled) implements ChannelFields {

    public static ChannelInput of(ChannelFields f) {
        return new ChannelInput(f.id(), f.name(), f.teamId(), f.url(), f.description(), f.types(), f.headers(),
                f.enabled());
    }
}
