package com.messagingconnectors.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SandboxServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = new SandboxServer(0).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void recordsAPostedWebhookAndListsIt() throws Exception {
        HttpResponse<String> delivery = send(HttpRequest.newBuilder(uri("/webhook"))
                .header("Content-Type", "application/json")
                .header("webhook-id", "n-123")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"report.completed\",\"data\":{\"id\":7}}")));

        assertThat(delivery.statusCode()).isEqualTo(200);
        assertThat(json.readTree(delivery.body())).isEqualTo(json.readTree("{\"ok\":true}"));

        JsonNode listed = json.readTree(get("/api/requests").body());
        assertThat(listed).hasSize(1);
        JsonNode recorded = listed.get(0);
        assertThat(recorded.get("method").asText()).isEqualTo("POST");
        assertThat(recorded.get("path").asText()).isEqualTo("/webhook");
        assertThat(recorded.get("headers").get("webhook-id").asText()).isEqualTo("n-123");
        assertThat(recorded.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(json.readTree(recorded.get("body").asText()))
                .isEqualTo(json.readTree("{\"type\":\"report.completed\",\"data\":{\"id\":7}}"));
        assertThat(recorded.get("receivedAt").asText()).isNotBlank();
    }

    @Test
    void listsNewestFirstFiltersByPathAndClears() throws Exception {
        send(HttpRequest.newBuilder(uri("/webhook")).POST(HttpRequest.BodyPublishers.ofString("first")));
        send(HttpRequest.newBuilder(uri("/webhooks/customer-a")).PUT(HttpRequest.BodyPublishers.ofString("second")));
        send(HttpRequest.newBuilder(uri("/webhook")).POST(HttpRequest.BodyPublishers.ofString("third")));

        JsonNode all = json.readTree(get("/api/requests").body());
        assertThat(all).extracting(n -> n.get("body").asText()).containsExactly("third", "second", "first");

        JsonNode filtered = json.readTree(get("/api/requests?path=/webhooks/customer-a").body());
        assertThat(filtered).extracting(n -> n.get("method").asText() + " " + n.get("body").asText())
                .containsExactly("PUT second");

        HttpResponse<String> cleared = send(HttpRequest.newBuilder(uri("/api/requests")).DELETE());
        assertThat(json.readTree(cleared.body()).get("cleared").asInt()).isEqualTo(3);
        assertThat(json.readTree(get("/api/requests").body())).isEmpty();
    }

    @Test
    void ownPagesAreNotRecorded() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("Sandbox");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("UP");

        assertThat(json.readTree(get("/api/requests").body())).isEmpty();
    }

    private URI uri(String path) {
        return URI.create(sandbox.url() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
