package com.messagingconnectors.config.auth;

import com.messagingconnectors.config.store.ConfigView;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <key>}: workspace keys by their SHA-256 in the live config (revocation takes
 * effect as soon as the view has it), the operator's admin key, and — only when local mode is on — the documented
 * development key of the local stack.
 */
public final class ApiKeyAuthenticator {
    private final ConfigView config;
    private final byte[] adminKeySha256;
    private final String devKey;
    private final String devWorkspaceId;

    /**
     * @param adminKey       the operator key (may be null: then there is none)
     * @param devKey         the local stack's fixed key; ignored unless {@code localMode}
     * @param devWorkspaceId the workspace the dev key acts for
     */
    public ApiKeyAuthenticator(ConfigView config, String adminKey, boolean localMode, String devKey,
                               String devWorkspaceId) {
        this.config = config;
        this.adminKeySha256 = adminKey == null || adminKey.isBlank() ? null
                : ApiKeys.sha256Hex(adminKey).getBytes(StandardCharsets.US_ASCII);
        this.devKey = localMode && devKey != null && !devKey.isBlank() ? devKey : null;
        this.devWorkspaceId = devWorkspaceId;
    }

    /** False until the live config has been loaded: workspace keys cannot be checked before. */
    public boolean ready() {
        return config.isCaughtUp();
    }

    public Optional<Caller> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = authorizationHeader.substring(7).trim();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (devKey != null && MessageDigest.isEqual(devKey.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller(devWorkspaceId, "dev", false));
        }
        String hash = ApiKeys.sha256Hex(key);
        if (adminKeySha256 != null && MessageDigest.isEqual(adminKeySha256, hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Caller.operator());
        }
        return config.apiKeyBySha256(hash).filter(k -> k.active())
                .map(k -> new Caller(k.workspaceId(), k.id(), false));
    }
}
