package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.integration.ConfigStore;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.api.Dtos.ApiKeyRequest;
import com.messagingconnectors.integration.api.Dtos.ApiKeyView;
import com.messagingconnectors.schemas.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Per-workspace API keys: created (shown once), listed (prefix only), revoked. Only hashes are stored. */
@RestController
@RequestMapping("/v1/workspaces/{workspaceId}/api-keys")
class ApiKeysController {
    private static final Logger log = LoggerFactory.getLogger(ApiKeysController.class);
    private final ConfigView view;
    private final ConfigStore store;

    ApiKeysController(ConfigStore store) {
        this.view = store.view();
        this.store = store;
    }

    @PostMapping
    ResponseEntity<ApiKeyView> create(@PathVariable String workspaceId, @RequestBody(required = false) ApiKeyRequest request) {
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiException.invalid(List.of(new FieldError("name", "is required, 1 to 100 characters")));
        }
        if (!com.messagingconnectors.schemas.EventJson.WORKSPACE_ID_PATTERN.matcher(workspaceId).matches()) {
            throw ApiException.invalid(List.of(new FieldError("workspaceId", "must look like ws_<letters, digits, _ or ->")));
        }
        String key = ApiKeys.generate();
        ApiKeyRecord record = new ApiKeyRecord("key_" + UUID.randomUUID().toString().substring(0, 8), workspaceId, name,
                ApiKeys.sha256Hex(key), ApiKeys.displayPrefix(key), Instant.now(), null);
        write(record);
        log.info("api key created workspace={} key={}", workspaceId, record.id());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(record, key));
    }

    @GetMapping
    Map<String, List<ApiKeyView>> list(@PathVariable String workspaceId) {
        return Map.of("apiKeys", view.apiKeys(workspaceId).stream().map(k -> view(k, null)).toList());
    }

    @DeleteMapping("/{keyId}")
    ResponseEntity<Void> revoke(@PathVariable String workspaceId, @PathVariable String keyId) {
        ApiKeyRecord key = view.apiKeys(workspaceId).stream().filter(k -> k.id().equals(keyId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("API key " + keyId));
        if (key.active()) {
            write(new ApiKeyRecord(key.id(), key.workspaceId(), key.name(), key.sha256(), key.prefix(),
                    key.createdAt(), Instant.now()));
            log.info("api key revoked workspace={} key={}", workspaceId, keyId);
        }
        return ResponseEntity.noContent().build();
    }

    private void write(ApiKeyRecord record) {
        store.write(new ConfigKey(ConfigKey.API_KEY, record.workspaceId(), record.id()), record);
    }

    private static ApiKeyView view(ApiKeyRecord k, String key) {
        return new ApiKeyView(k.id(), k.workspaceId(), k.name(), k.prefix(), k.createdAt(), k.revokedAt(), key);
    }
}
