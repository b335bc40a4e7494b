package com.messagingconnectors.config.model;

import java.time.Instant;

/**
 * A workspace API key as stored on connectors.config (key {@code apikey/<workspaceId>/<id>}): only the SHA-256 hash of
 * the key is kept. Keys are 256-bit random, so a fast hash is safe (no dictionary to guess from).
 */
public record ApiKeyRecord(String id, String workspaceId, String name, String sha256, String prefix,
                           Instant createdAt, Instant revokedAt) {
    public boolean active() {
        return revokedAt == null;
    }
}
