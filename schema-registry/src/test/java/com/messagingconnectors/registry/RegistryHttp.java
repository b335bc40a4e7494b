package com.messagingconnectors.registry;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw REST calls, as any registry client would send them. */
final class RegistryHttp {
    static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, JsonNode body) {
        int errorCode() {
            return body.path("error_code").asInt(0);
        }
    }

    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer get(String path) {
        return send("GET", path, null, "application/vnd.schemaregistry.v1+json");
    }

    Answer delete(String path) {
        return send("DELETE", path, null, "application/vnd.schemaregistry.v1+json");
    }

    Answer post(String path, String body) {
        return send("POST", path, body, "application/vnd.schemaregistry.v1+json");
    }

    Answer put(String path, String body) {
        return send("PUT", path, body, "application/json");
    }

    /** {"schema": "<schema text>"} as registration, look-up and compatibility requests carry it. */
    static String schemaRequest(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    Answer send(String method, String path, String body, String contentType) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", contentType)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }
}
