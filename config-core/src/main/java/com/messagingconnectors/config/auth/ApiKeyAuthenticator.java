package com.messagingconnectors.config.auth;

import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.store.ConfigView;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks API keys: workspace keys by their SHA-256 in the live config (revocation takes effect as soon as the view has
 * it), the operator's admin key, and — only when local mode is on — the documented development key of the local
 * stack. As Spring Security's {@link AuthenticationProvider} it turns an {@link ApiKeyAuthentication} holding a key
 * into one holding the {@link Caller}.
 */
public final class ApiKeyAuthenticator implements AuthenticationProvider {
    private final ConfigView config;
    private final byte[] adminKeySha256;
    private final String devKey;
    private final String devWorkspaceId;

    /**
     * @param config         the live config holding workspace keys; null where only the admin key is accepted
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
        return config == null || config.isCaughtUp();
    }

    /** The caller an {@code Authorization} header value stands for, if it is {@code Bearer <a valid key>}. */
    public Optional<Caller> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return byKey(authorizationHeader.substring(7).trim());
    }

    public Optional<Caller> byKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        if (devKey != null && MessageDigest.isEqual(devKey.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller(devWorkspaceId, "dev", false, Scope.all()));
        }
        String hash = ApiKeys.sha256Hex(key);
        if (adminKeySha256 != null && MessageDigest.isEqual(adminKeySha256, hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Caller.operator());
        }
        if (config == null) {
            return Optional.empty();
        }
        return config.apiKeyBySha256(hash).filter(ApiKeyRecord::active)
                .map(k -> new Caller(k.workspaceId(), k.id(), false, scopesOf(k)));
    }

    /** The scopes a stored key holds; keys from before scopes existed keep every workspace scope. */
    public static Set<Scope> scopesOf(ApiKeyRecord key) {
        if (key.scopes() == null) {
            return Scope.all();
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        key.scopes().forEach(id -> Scope.fromId(id).ifPresent(scopes::add));
        return scopes;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String key = ((ApiKeyAuthentication) authentication).presentedKey();
        return byKey(key).map(ApiKeyAuthentication::authenticated)
                .orElseThrow(() -> new BadCredentialsException("the API key is unknown or revoked"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
