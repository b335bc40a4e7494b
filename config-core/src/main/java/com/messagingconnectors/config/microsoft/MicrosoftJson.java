package com.messagingconnectors.config.microsoft;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading what Microsoft answers: bodies that may be empty or not JSON (proxies, 5xx pages), and ID token claims. */
public final class MicrosoftJson {
    private static final ObjectMapper JSON = Json.MAPPER;

    private MicrosoftJson() {
    }

    /** The body as JSON; an empty object when it is empty or not JSON, so callers read fields without checks. */
    public static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * The claims of an ID token, unverified: only for a token the client got itself, straight from the token
     * endpoint over TLS (OpenID Connect Core 3.1.3.7 allows skipping the signature check then). Empty when unreadable.
     */
    public static JsonNode idTokenClaims(String idToken) {
        String[] parts = idToken == null ? new String[0] : idToken.split("\\.");
        if (parts.length < 2) {
            return JSON.createObjectNode();
        }
        try {
            return parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return JSON.createObjectNode();
        }
    }
}
