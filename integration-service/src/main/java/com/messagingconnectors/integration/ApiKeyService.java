package com.messagingconnectors.integration;

import com.messagingconnectors.config.auth.ApiKeyAuthenticator;
import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Per-workspace API keys, for the API and the console alike: created (the key shown once) with the scopes asked for,
 * never more than the creating key holds; listed by prefix and scopes; revoked. Only hashes are stored.
 */
@Service
public class ApiKeyService {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
    private final ConfigView view;
    private final ConfigStore store;

    ApiKeyService(ConfigStore store) {
        this.view = store.view();
        this.store = store;
    }

    /** A new key of {@code workspaceId} made by {@code caller}; the view holds the key itself, the only time. */
    public ApiKeyView create(String workspaceId, Caller caller, String requestedName, List<String> scopeIds) {
        String name = requestedName == null ? "" : requestedName.strip();
        List<FieldError> errors = new ArrayList<>();
        if (name.isEmpty() || name.length() > 100) {
            errors.add(new FieldError("name", "is required, 1 to 100 characters"));
        }
        if (!EventJson.WORKSPACE_ID_PATTERN.matcher(workspaceId).matches()) {
            errors.add(new FieldError("workspaceId", "must look like ws_<letters, digits, _ or ->"));
        }
        Set<Scope> scopes = requestedScopes(scopeIds, errors);
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
        // no escalation: a key can only hand out rights it holds itself
        List<String> beyond = scopes.stream().filter(s -> !caller.has(s)).map(Scope::id).sorted().toList();
        if (!beyond.isEmpty()) {
            throw new DomainException.NotPermitted("this API key cannot create a key with " + beyond
                    + ": a key may only grant scopes it holds itself");
        }
        String key = ApiKeys.generate();
        ApiKeyRecord record = new ApiKeyRecord("key_" + UUID.randomUUID().toString().substring(0, 8), workspaceId, name,
                ApiKeys.sha256Hex(key), ApiKeys.displayPrefix(key), Instant.now(), null,
                scopes.stream().map(Scope::id).sorted().toList());
        write(record);
        log.info("api key created workspace={} key={}", workspaceId, record.id());
        return view(record, key);
    }

    public List<ApiKeyView> list(String workspaceId) {
        return view.apiKeys(workspaceId).stream().map(k -> view(k, null)).toList();
    }

    public void revoke(String workspaceId, String keyId) {
        ApiKeyRecord key = view.apiKeys(workspaceId).stream().filter(k -> k.id().equals(keyId)).findFirst()
                .orElseThrow(() -> new DomainException.NotFound("API key " + keyId));
        if (key.active()) {
            write(key.revoked(Instant.now()));
            log.info("api key revoked workspace={} key={}", workspaceId, keyId);
        }
    }

    private void write(ApiKeyRecord record) {
        store.write(new ConfigKey(ConfigKey.API_KEY, record.workspaceId(), record.id()), record);
    }

    /** The scopes asked for, each known; none asked for → the narrowest default. */
    private static Set<Scope> requestedScopes(List<String> ids, List<FieldError> errors) {
        if (ids == null || ids.isEmpty()) {
            return Scope.DEFAULT_FOR_NEW_KEYS;
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < ids.size(); i++) {
            Optional<Scope> scope = Scope.fromId(ids.get(i));
            if (scope.isEmpty()) {
                errors.add(new FieldError("scopes[" + i + "]", "must be one of " + Arrays.stream(Scope.values())
                        .map(Scope::id).toList()));
            } else {
                scopes.add(scope.get());
            }
        }
        return scopes;
    }

    private static ApiKeyView view(ApiKeyRecord k, String key) {
        List<String> scopes = ApiKeyAuthenticator.scopesOf(k).stream().map(Scope::id).sorted().toList();
        return new ApiKeyView(k.id(), k.workspaceId(), k.name(), k.prefix(), scopes, k.createdAt(), k.revokedAt(),
                key);
    }
}
