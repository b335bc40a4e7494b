package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A customer's webhook endpoint: records every request and answers 200, or the statuses scripted for the
 * event's workspace ({@link #answer}).
 */
final class WebhookReceiver implements AutoCloseable {
    private static final Pattern WORKSPACE = Pattern.compile("\"workspaceId\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = Json.MAPPER;

    /** One received POST; header names lower-case. */
    record Received(String method, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(exchange.getRequestMethod(), headers, new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(statusFor(new String(body, StandardCharsets.UTF_8)), -1);
            exchange.close();
        });
        server.start();
    }

    /** Answer webhooks of events of {@code workspaceId} with these statuses in turn, then 200. */
    void answer(String workspaceId, Integer... statuses) {
        scripted.put(workspaceId, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    private int statusFor(String body) {
        Matcher workspace = WORKSPACE.matcher(body);
        Deque<Integer> statuses = workspace.find() ? scripted.get(workspace.group(1)) : null;
        Integer status = statuses == null ? null : statuses.poll();
        return status == null ? 200 : status;
    }

    /**
     * Creates, through integration-service's API, a webhook integration of {@code workspace} whose default endpoint
     * is this receiver; returns its destination id.
     */
    String connect(ServiceProcess integrations, String adminApiKey, String workspace) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        integrations.url("/v1/workspaces/" + workspace + "/integrations"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + adminApiKey)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"kind": "webhook", "name": "Receiver",
                         "notificationTypes": {"report.completed": true, "sync.failed": true},
                         "channels": [{"id": "receiver", "url": "%s"}], "defaultChannelId": "receiver"}
                        """.formatted(url())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("create integration: %s", created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).at("/channels/0/destinationId").asString("");
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
