package com.messagingconnectors.config.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What an API key may do. A key holds one or more; the operator key holds all of them. */
public enum Scope {
    /** Post events to ingest: what a platform service needs, and nothing else. */
    EVENTS_WRITE("events:write"),
    /** Read integrations, their settings, status and route previews. */
    INTEGRATIONS_READ("integrations:read"),
    /** Create, change, connect, enable, disable and delete integrations (webhook URLs included). */
    INTEGRATIONS_WRITE("integrations:write"),
    /** Create, list and revoke the workspace's API keys. */
    KEYS_MANAGE("keys:manage");

    /** What a new key gets when its creator names no scopes: the narrowest useful one. */
    public static final Set<Scope> DEFAULT_FOR_NEW_KEYS = Set.copyOf(EnumSet.of(EVENTS_WRITE));

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    /** The name used in the API and in connectors.config, e.g. {@code events:write}. */
    public String id() {
        return id;
    }

    public static Optional<Scope> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static Set<Scope> all() {
        return Set.copyOf(EnumSet.allOf(Scope.class));
    }
}
