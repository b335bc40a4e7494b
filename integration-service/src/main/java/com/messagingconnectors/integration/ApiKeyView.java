package com.messagingconnectors.integration;

import java.time.Instant;
import java.util.List;

/** @param key only in the answer that created it */
public record ApiKeyView(String id, String workspaceId, String name, String prefix, List<String> scopes,
                         Instant createdAt, Instant revokedAt, String key) {
}
