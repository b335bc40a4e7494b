package com.messagingconnectors.config.model;

import java.time.Instant;
import java.util.List;

/**
 * A workspace API key as stored on connectors.config (key {@code apikey/<workspaceId>/<id>}): only the SHA-256 hash of
 * the key is kept. Keys are 256-bit random, so a fast hash is safe (no dictionary to guess from).
 *
 * @param scopes the scope ids the key holds ({@code events:write}, …); null on keys written before scopes existed,
 *               which keep the full rights they were created with
 */
public record ApiKeyRecord(String id, String workspaceId, String name, String sha256, String prefix,
                           Instant createdAt, Instant revokedAt, List<String> scopes) {
    public boolean active() {
        return revokedAt == null;
    }

    public ApiKeyRecord revoked(Instant at) {
        return new ApiKeyRecord(id, workspaceId, name, sha256, prefix, createdAt, at, scopes);
    }
}
