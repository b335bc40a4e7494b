package com.messagingconnectors.webhook;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback. The path says how it answers: {@code /ok}, {@code /status/<code>},
 * {@code /retry-after/<code>/<seconds>}, {@code /flaky/<failures>} (500 that many times per path, then 204),
 * {@code /hang} (accepts, never answers until closed), {@code /redirect}.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresSoFar = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
        String[] parts = path.split("/");
        int status;
        if (path.startsWith("/ok")) {
            status = 204;
        } else if (path.startsWith("/status/")) {
            status = Integer.parseInt(parts[2]);
        } else if (path.startsWith("/retry-after/")) {
            status = Integer.parseInt(parts[2]);
            exchange.getResponseHeaders().add("Retry-After", parts[3]);
        } else if (path.startsWith("/flaky/")) {
            int failures = Integer.parseInt(parts[2]);
            status = failuresSoFar.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement() < failures
                    ? 500 : 204;
        } else if (path.startsWith("/hang")) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 204;
        } else if (path.startsWith("/redirect")) {
            exchange.getResponseHeaders().add("Location", url("/ok"));
            status = 302;
        } else {
            status = 404;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
