package com.messagingconnectors.googlechat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on loopback standing in for Google Chat's incoming webhooks ({@code POST /v1/spaces/{space}/
 * messages?key=…&token=…}). The space's name says how it answers: {@code ok…} 200 with a Message, {@code status-<code>…}
 * that status, {@code busy…} 429 with {@code Retry-After: 2} the first time then 200.
 */
final class ChatStandIn implements AutoCloseable {
    private static final Pattern MESSAGES = Pattern.compile("/v1/spaces/([^/]+)/messages");

    record Request(String space, String query, Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    ChatStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The incoming-webhook URL of {@code space} on this stand-in. */
    String webhookUrl(String space) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/spaces/" + space
                + "/messages?key=test-key-" + space + "&token=test-token-" + space;
    }

    List<Request> requestsTo(String space) {
        return requests.stream().filter(r -> r.space().equals(space)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = MESSAGES.matcher(exchange.getRequestURI().getPath());
            if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
                send(exchange, 404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
                return;
            }
            String space = m.group(1);
            requests.add(new Request(space, exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            int n = seen.computeIfAbsent(space, s -> new AtomicInteger()).incrementAndGet();
            if (space.startsWith("status-")) {
                send(exchange, Integer.parseInt(space.split("-")[1]),
                        "{\"error\":{\"message\":\"told to fail\",\"status\":\"INVALID_ARGUMENT\"}}");
            } else if (space.startsWith("busy") && n == 1) {
                exchange.getResponseHeaders().add("Retry-After", "2");
                send(exchange, 429, "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}");
            } else {
                send(exchange, 200, "{\"name\":\"spaces/" + space + "/messages/m" + n + "\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
