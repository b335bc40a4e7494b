package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.delivery.DeliveryOutcome;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server on loopback. */
class WebhookClientTest {
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");

    private record Request(String method, Map<String, List<String>> headers, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final WebhookClient client = new WebhookClient(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            String path = exchange.getRequestURI().getPath();
            int status = Integer.parseInt(path.substring(1));
            if (status == 503) {
                exchange.getResponseHeaders().add("Retry-After", "7");
            }
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/200");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url(int status) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + status);
    }

    @Test
    void postsTheJsonWithStandardWebhookHeaders() {
        WebhookClient.Attempt attempt = client.post(url(204), "n-1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(attempt).isEqualTo(new WebhookClient.Attempt(new DeliveryOutcome.Delivered(), 204));
        Request request = requests.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("{\"a\":1}");
        assertThat(request.headers().get("Content-type")).containsExactly("application/json");
        assertThat(request.headers().get("Webhook-id")).containsExactly("n-1");
        assertThat(request.headers().get("Webhook-timestamp")).containsExactly(Long.toString(NOW.getEpochSecond()));
    }

    @Test
    void serverErrorIsRetryableAndHonoursRetryAfter() {
        WebhookClient.Attempt attempt = client.post(url(503), "n-2", new byte[0]);

        assertThat(attempt).isEqualTo(new WebhookClient.Attempt(
                new DeliveryOutcome.Retryable(DeliveryOutcome.FailureReason.server, "HTTP 503", Duration.ofSeconds(7), 503), 503));
    }

    @Test
    void clientErrorIsPermanent() {
        assertThat(client.post(url(404), "n-3", new byte[0]))
                .isEqualTo(new WebhookClient.Attempt(new DeliveryOutcome.Permanent(DeliveryOutcome.FailureReason.client, "HTTP 404", 404,
                        DeliveryOutcome.IntegrationEffect.NONE), 404));
    }

    @Test
    void redirectIsNotFollowed() {
        WebhookClient.Attempt attempt = client.post(url(302), "n-4", new byte[0]);

        assertThat(attempt.outcome()).isInstanceOf(DeliveryOutcome.Permanent.class);
        assertThat(requests).hasSize(1);
    }

    @Test
    void unreachableEndpointIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        WebhookClient.Attempt attempt = client.post(URI.create("http://127.0.0.1:" + closedPort + "/"), "n-5",
                new byte[0]);

        assertThat(attempt.outcome()).isInstanceOf(DeliveryOutcome.Retryable.class);
        assertThat(attempt.httpStatus()).isNull();
    }
}
