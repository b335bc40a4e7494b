package com.messagingconnectors.channelcontract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.Rehearsal;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What every channel must do with the answers all platforms share, checked against a real HTTP server on loopback
 * that stands in for the platform (Slack's Web API, a Teams Workflows URL, a webhook endpoint…):
 * <ul>
 * <li>2xx → delivered, with exactly one request sent;</li>
 * <li>429 with Retry-After → retryable, rate_limited, with that delay (delivery-core waits at least that long);</li>
 * <li>5xx → retryable, server;</li>
 * <li>a client error (4xx) → permanent (dead-lettered at once) with the status and a reason a person can act on;</li>
 * <li>no answer within the channel's timeout → retryable, timeout; no connection → retryable, connection;</li>
 * <li>in none of these does a secret (token, secret URL part, signing secret) appear in the outcome (which becomes the
 * dead letter's headers) or in any log line at INFO or above.</li>
 * </ul>
 * A channel's test extends this and says how to build the channel against the server; platform-specific answers
 * (Slack's {@code ok:false}, Graph's error bodies) stay in the channel's own tests.
 */
public abstract class ChannelContract {
    /** The channel's timeout in these tests: short, so "no answer" is quick to show. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(1);

    private HttpServer server;
    private final List<Recorded> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch hangingReleased = new CountDownLatch(1);
    private volatile Answer answer;
    private ListAppender<ILoggingEvent> logs;

    /** What the server answers next. */
    private record Answer(int status, Map<String, String> headers, String body, boolean hang) {
    }

    /** One request the server received. */
    protected record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
    }

    /** The channel under test, sending to the platform at {@code platform} and waiting at most {@code timeout}. */
    protected abstract NotificationChannel channel(URI platform, Duration timeout);

    /** A request for one notification to a destination whose platform (or endpoint) is {@code platform}. */
    protected abstract DeliveryRequest request(URI platform);

    /** Every secret the channel holds for {@link #request}: none may show in an outcome or a log line. */
    protected abstract List<String> secrets();

    /** The body of a successful answer (Slack: {@code {"ok":true}}). */
    protected String successBody() {
        return "{}";
    }

    /** The body of a failed answer with {@code status} (Slack: {@code {"ok":false,"error":...}}). */
    protected String errorBody(int status) {
        return "{}";
    }

    @BeforeEach
    void startPlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stopPlatform() {
        root().detachAppender(logs);
        hangingReleased.countDown();
        server.stop(0);
    }

    @Test
    void aSuccessIsDeliveredWithOneRequest() {
        answer(200, Map.of(), successBody());

        assertThat(deliver()).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().method()).isEqualTo("POST");
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheRetryAfterDelay() {
        answer(429, Map.of("Retry-After", "7"), errorBody(429));

        assertThat(deliver()).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class, retry -> {
            assertThat(retry.reason()).isEqualTo(FailureReason.rate_limited);
            assertThat(retry.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(retry.httpStatus()).isEqualTo(429);
        });
    }

    @Test
    void aServerErrorIsRetried() {
        for (int status : new int[] {500, 502, 503}) {
            answer(status, Map.of(), errorBody(status));

            assertThat(deliver()).as("HTTP %d", status).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                    retry -> {
                        assertThat(retry.reason()).isEqualTo(FailureReason.server);
                        assertThat(retry.httpStatus()).isEqualTo(status);
                    });
        }
    }

    @Test
    void aClientErrorIsPermanentWithItsStatusAndAReason() {
        answer(400, Map.of(), errorBody(400));

        assertThat(deliver()).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, permanent -> {
            assertThat(permanent.httpStatus()).isEqualTo(400);
            assertThat(permanent.detail()).isNotBlank();
        });
    }

    @Test
    void noAnswerInTimeIsRetriedAsATimeout() {
        answer = new Answer(200, Map.of(), successBody(), true);

        assertThat(deliver()).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                retry -> assertThat(retry.reason()).isEqualTo(FailureReason.timeout));
    }

    @Test
    void noConnectionIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);

        DeliveryOutcome outcome = channel(nowhere, TIMEOUT).deliver(request(nowhere));

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                retry -> assertThat(retry.reason()).isIn(FailureReason.connection, FailureReason.timeout));
        assertNoSecretIn(outcome);
    }

    @Test
    void noSecretShowsInAnyOutcomeOrLogLine() {
        List<DeliveryOutcome> outcomes = new ArrayList<>();
        for (int status : new int[] {200, 400, 401, 403, 404, 410, 429, 500, 503}) {
            answer(status, Map.of("Retry-After", "1"), status == 200 ? successBody() : errorBody(status));
            outcomes.add(deliver());
        }
        answer = new Answer(200, Map.of(), successBody(), true);
        outcomes.add(deliver());

        outcomes.forEach(this::assertNoSecretIn);
        // what production logs (INFO and up; wire-level DEBUG of HTTP libraries is never on in production)
        assertThat(logs.list.stream().filter(line -> line.getLevel().isGreaterOrEqual(Level.INFO)).toList())
                .allSatisfy(line -> {
            String text = line.getFormattedMessage() + (line.getThrowableProxy() == null ? ""
                    : " " + line.getThrowableProxy().getMessage());
            for (String secret : secrets()) {
                assertThat(text).as("log line").doesNotContain(secret);
            }
        });
    }

    @Test
    void aRehearsalIsDeliveredToTheSinkItWasGivenAndNowhereElse() throws Exception {
        answer(200, Map.of(), successBody());
        URI platform = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        NotificationChannel channel = channel(platform, TIMEOUT);
        Optional<Rehearsal> rehearsal = channel.rehearsal(URI.create(platform + "/rehearsal"));
        assumeTrue(rehearsal.isPresent(), channel.name() + " has no rehearsal: its first deliveries run cold");

        try (Rehearsal r = rehearsal.get()) {
            assertThat(r.channel().deliver(r.request())).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(r.request().notification().getEvent().getWorkspaceId())
                    .isEqualTo(Rehearsal.WORKSPACE);
            assertThat(received).hasSize(1);
        }
    }

    /** The requests the platform received so far, for a channel's own assertions on what was sent. */
    protected List<Recorded> received() {
        return received;
    }

    private DeliveryOutcome deliver() {
        URI platform = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        DeliveryOutcome outcome = channel(platform, TIMEOUT).deliver(request(platform));
        assertNoSecretIn(outcome);
        return outcome;
    }

    private void assertNoSecretIn(DeliveryOutcome outcome) {
        for (String secret : secrets()) {
            assertThat(outcome.toString()).as("outcome").doesNotContain(secret);
        }
    }

    private void answer(int status, Map<String, String> headers, String body) {
        answer = new Answer(status, headers, body, false);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Answer now = answer;
            if (now.hang()) {
                try {
                    hangingReleased.await(30, TimeUnit.SECONDS); // longer than any channel waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] bytes = now.body().getBytes(StandardCharsets.UTF_8);
            now.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(now.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
