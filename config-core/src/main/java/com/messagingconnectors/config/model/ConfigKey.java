package com.messagingconnectors.config.model;

/** Key of a connectors.config record: {@code <kind>/<workspaceId>/<id>}. */
public record ConfigKey(String kind, String workspaceId, String id) {
    public static final String INTEGRATION = "integration";
    public static final String API_KEY = "apikey";

    public static ConfigKey parse(String key) {
        String[] parts = key.split("/", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("connectors.config key must be <kind>/<workspaceId>/<id>: " + key);
        }
        return new ConfigKey(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return kind + "/" + workspaceId + "/" + id;
    }
}
