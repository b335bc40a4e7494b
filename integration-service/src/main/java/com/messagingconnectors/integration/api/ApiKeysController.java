package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.integration.ApiKeyService;
import com.messagingconnectors.integration.ApiKeyView;
import com.messagingconnectors.integration.api.Dtos.ApiKeyRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** Per-workspace API keys over HTTP ({@link ApiKeyService} holds the rules). */
@RestController
@RequestMapping("/v1/workspaces/{workspaceId}/api-keys")
class ApiKeysController {
    private final ApiKeyService keys;

    ApiKeysController(ApiKeyService keys) {
        this.keys = keys;
    }

    @PostMapping
    ResponseEntity<ApiKeyView> create(@PathVariable String workspaceId,
                                      @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                      @RequestBody(required = false) ApiKeyRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(keys.create(workspaceId, caller,
                request == null ? null : request.name(), request == null ? null : request.scopes()));
    }

    @GetMapping
    Map<String, List<ApiKeyView>> list(@PathVariable String workspaceId) {
        return Map.of("apiKeys", keys.list(workspaceId));
    }

    @DeleteMapping("/{keyId}")
    ResponseEntity<Void> revoke(@PathVariable String workspaceId, @PathVariable String keyId) {
        keys.revoke(workspaceId, keyId);
        return ResponseEntity.noContent().build();
    }
}
