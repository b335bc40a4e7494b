package com.messagingconnectors.ingest;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to the running service, as a client would make them. */
final class IngestClient {
    static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The operator key of src/test/resources/application.properties. */
    static final String OPERATOR_KEY = "test-operator-key";

    private final String baseUrl;
    private final String apiKey;

    IngestClient(int port) {
        this(port, OPERATOR_KEY);
    }

    /** @param apiKey sent as a Bearer token; null sends no Authorization header */
    IngestClient(int port, String apiKey) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return post(path, contentType, HttpRequest.BodyPublishers.ofString(body));
    }

    /** Raw bytes, e.g. broken UTF-8; {@code contentType} null sends none. */
    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return post(path, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20))
                .POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return send(request.build());
    }

    HttpResponse<String> postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    HttpResponse<String> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return send(request.GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** A valid user.invited event for {@code workspace}. */
    static String invitedEvent(String workspace) {
        return q("{'type': 'user.invited', 'workspaceId': '" + workspace + "', 'summary': 'Ann was invited',"
                + " 'payload': {'userEmail': 'ann@example.com', 'invitedBy': 'bob@example.com'}}");
    }

    /** Test JSON written with single quotes for readability. */
    static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
