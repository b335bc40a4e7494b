package com.messagingconnectors.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guarded client against a real HTTP server on loopback, with and without local mode. */
class GuardedHttpClientTest {
    static final GuardedHttpClient.Settings SETTINGS = new GuardedHttpClient.Settings(Duration.ofSeconds(2),
            Duration.ofSeconds(2), 10, "guarded-test");

    record Received(String path, String contentType, String userAgent, String body) {
    }

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (exchange.getRequestURI().getPath().startsWith("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/internal");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.getResponseHeaders().add("Retry-After", "3");
                exchange.sendResponseHeaders(202, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Test
    void outsideLocalModeLoopbackIsRefusedBeforeAnyConnection() throws Exception {
        // the server's port is allowed: only the address check stands between the client and the server
        AddressPolicy policy = new AddressPolicy(List.of(), List.of(Integer.toString(server.getAddress().getPort())),
                false);
        try (GuardedHttpClient client = GuardedHttpClient.create(policy, SETTINGS)) {
            for (String url : List.of(url("127.0.0.1", "/a"), url("localhost", "/b"), url("[::ffff:127.0.0.1]", "/c"),
                    url("[64:ff9b::7f00:1]", "/d"))) {
                assertThatThrownBy(() -> client.postJson(URI.create(url), Map.of(), new byte[0])).as(url)
                        .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e -> {
                            assertThat(e.refused()).isTrue();
                            assertThat(e.outcome()).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                                    p -> assertThat(p.detail()).contains("non-public address").doesNotContain("/a"));
                        });
            }
            assertThatThrownBy(() -> client.postJson(URI.create(url("localhost", "/e")), Map.of(), new byte[0]))
                    .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e -> assertThat(e.outcome().toString())
                            .contains("(loopback)").doesNotContain("127.0.0.1"));
        }
        assertThat(received).isEmpty();
    }

    @Test
    void aNonStandardPortIsRefusedUnlessAllowed() throws Exception {
        int port = server.getAddress().getPort();
        AddressPolicy loopbackAllowed = new AddressPolicy(List.of("127.0.0.1/32"), List.of(), false);
        try (GuardedHttpClient client = GuardedHttpClient.create(loopbackAllowed, SETTINGS)) {
            assertThatThrownBy(() -> client.postJson(URI.create(url("127.0.0.1", "/port")), Map.of(), new byte[0]))
                    .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e -> {
                        assertThat(e.refused()).isTrue();
                        assertThat(e.outcome().toString()).contains("on port " + port, "connectors.ssrf.allowed-ports");
                    });
        }
        assertThat(received).isEmpty();

        AddressPolicy portAllowed = new AddressPolicy(List.of("127.0.0.1/32"), List.of(Integer.toString(port)), false);
        try (GuardedHttpClient client = GuardedHttpClient.create(portAllowed, SETTINGS)) {
            assertThat(client.postJson(URI.create(url("127.0.0.1", "/port")), Map.of(), new byte[0]).status())
                    .isEqualTo(202);
        }
        assertThat(received).extracting(Received::path).containsExactly("/port");
    }

    @Test
    void localModePostsJsonToLoopbackOnAnyPort() throws Exception {
        try (GuardedHttpClient client = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                SETTINGS)) {
            GuardedHttpClient.Answer answer = client.postJson(URI.create(url("localhost", "/hook")),
                    Map.of("X-Customer", "acme"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(answer).isEqualTo(new GuardedHttpClient.Answer(202, "3"));
        }
        assertThat(received).containsExactly(new Received("/hook", "application/json", "guarded-test", "{\"a\":1}"));
    }

    @Test
    void redirectsAreRefusedNotFollowed() throws Exception {
        try (GuardedHttpClient client = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                SETTINGS)) {
            assertThatThrownBy(() -> client.postJson(URI.create(url("127.0.0.1", "/redirect")), Map.of(),
                    new byte[0]))
                    .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e -> {
                        assertThat(e.refused()).isFalse();
                        assertThat(e.outcome()).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
                            assertThat(p.reason()).isEqualTo(FailureReason.client);
                            assertThat(p.detail()).contains("redirect refused (HTTP 302)");
                        });
                    });
        }
        assertThat(received).extracting(Received::path).containsExactly("/redirect");
    }

    @Test
    void aClosedPortIsARetryableConnectionFailureThatNamesOnlyTheHost() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (GuardedHttpClient client = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                SETTINGS)) {
            assertThatThrownBy(() -> client.postJson(URI.create("http://localhost:" + closedPort + "/p?sig=s3cr3t"),
                    Map.of(), new byte[0]))
                    .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e ->
                            assertThat(e.outcome()).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class, r -> {
                                assertThat(r.reason()).isEqualTo(FailureReason.connection);
                                assertThat(r.detail()).contains("localhost").doesNotContain("s3cr3t")
                                        .doesNotContain("127.0.0.1");
                            }));
        }
    }

    @Test
    void aRehearsalCopyReachesItsSinkAndNothingElseWhileTheOriginalKeepsItsPolicy() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> otherReceived = new CopyOnWriteArrayList<>();
        other.createContext("/", exchange -> {
            otherReceived.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        other.start();
        String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort() + "/other";
        try (GuardedHttpClient client = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, SETTINGS);
             GuardedHttpClient copy = client.rehearsalCopy(URI.create(url("127.0.0.1", "/sink")))) {
            assertThat(copy.postJson(URI.create(url("127.0.0.1", "/sink")), Map.of(), "{}".getBytes()).status())
                    .isEqualTo(202);
            assertThat(received).extracting(Received::path).containsExactly("/sink");
            assertThat(received.getFirst().userAgent()).isEqualTo("guarded-test");

            for (String elsewhere : List.of(otherUrl, url("localhost", "/by-name"), url("[::1]", "/v6"))) {
                assertThatThrownBy(() -> copy.postJson(URI.create(elsewhere), Map.of(), new byte[0])).as(elsewhere)
                        .isInstanceOf(GuardedHttpClient.NoAnswer.class);
            }
            assertThatThrownBy(() -> client.postJson(URI.create(url("127.0.0.1", "/sink")), Map.of(), new byte[0]))
                    .isInstanceOfSatisfying(GuardedHttpClient.NoAnswer.class, e -> assertThat(e.refused()).isTrue());
            assertThat(otherReceived).isEmpty();
            assertThat(received).hasSize(1);
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aRehearsalSinkMustBeOnLoopback() throws Exception {
        try (GuardedHttpClient client = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, SETTINGS)) {
            assertThatThrownBy(() -> client.rehearsalCopy(URI.create("http://203.0.113.5:8080/sink")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.rehearsalCopy(URI.create("http://localhost:8080/sink")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
