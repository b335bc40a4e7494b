package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.NotificationIds;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency: {@code POST /v1/events} → ingest → platform.events → router → notifications.webhook →
 * webhook-sender → a local receiver. An open-loop load at a fixed rate (default 1,000 events/s) of 1 KiB
 * report.completed events; each event carries an attribute {@code shard} that a routing rule maps to one of
 * {@code --endpoints} endpoints of one webhook integration (created through integration-service, as a workspace admin
 * would). Latency per event = arrival at the receiver − the moment its POST was sent, matched by the notification id
 * (the {@code webhook-id} header, derived from the event id and the destination id as the router derives it), and
 * counted from the moment the event was due to be sent (no coordinated omission). At most 256 POSTs are in flight.
 */
public final class EndToEndBench {
    private static final Pattern DESTINATION = Pattern.compile("\"destinationId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer receiver;
    /** notification id → nanoTime the POST was sent. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private volatile LatencyStats latency = new LatencyStats();
    private final AtomicLong arrived = new AtomicLong();
    /** When the current phase's first POST was due, and when its first notification arrived (0: none yet). */
    private volatile long phaseStartNanos;
    private final AtomicLong firstArrivalNanos = new AtomicLong();
    /**
     * At most this many requests in flight, like a platform service's bounded connection pool; an unbounded open loop
     * opens a connection per waiting request once the system falls behind, which measures the client, not us.
     */
    private final Semaphore connections = new Semaphore(MAX_IN_FLIGHT);
    private static final int MAX_IN_FLIGHT = 256;

    private EndToEndBench() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/e2e/", this::receive);
        receiver.start();
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String ingestUrl = args.string("ingest-url", "http://127.0.0.1:8080");
        String integrationsUrl = args.string("integrations-url", "http://127.0.0.1:8085");
        String apiKey = args.string("api-key", "mck_dev_local_only_ws_demo");
        String workspace = args.string("workspace", "ws_demo");
        int endpoints = args.integer("endpoints", 20);
        int rate = args.integer("rate", 1000);
        int warmupSeconds = args.integer("warmup-seconds", 15);
        int seconds = args.integer("seconds", 30);
        int eventBytes = args.integer("event-bytes", 1024);

        EndToEndBench bench = new EndToEndBench();
        String base = "http://127.0.0.1:" + bench.receiver.getAddress().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String integrationId = null;
        try {
            deleteLeftovers(http, integrationsUrl, apiKey, workspace);
            List<String> destinations = new ArrayList<>();
            integrationId = createIntegration(http, integrationsUrl, apiKey, workspace, base, endpoints, destinations);
            System.out.printf(Locale.ROOT, "end-to-end: %d events/s of %d bytes over %d endpoints; warm-up %d s, "
                    + "measured %d s%n", rate, eventBytes, endpoints, warmupSeconds, seconds);
            bench.run(http, ingestUrl, apiKey, workspace, destinations, rate, warmupSeconds, eventBytes, "warm-up");
            bench.awaitQuiet(Duration.ofSeconds(60));
            bench.latency = new LatencyStats();
            bench.arrived.set(0);
            // bench/e2e-run takes its CPU snapshots at this line and at the result line: warm-up and JIT excluded
            System.out.println("measuring");
            System.out.flush();
            Result result = bench.run(http, ingestUrl, apiKey, workspace, destinations, rate, seconds, eventBytes,
                    "measured");
            boolean all = bench.awaitQuiet(Duration.ofSeconds(60));
            LatencyStats e2e = bench.latency;
            System.out.printf(Locale.ROOT, "end-to-end: sent %d (POST errors %d), received %d%s; POST → receiver "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 250 ms); POST answered p50 %.1f ms, "
                            + "p99 %.1f ms; achieved send rate %.0f/s; first arrival %.1f ms after the first POST was "
                            + "due%n",
                    result.sent(), result.errors(), bench.arrived.get(), all ? "" : " (NOT all arrived)",
                    e2e.percentileMillis(50), e2e.percentileMillis(99), e2e.maxMillis(),
                    result.post().percentileMillis(50), result.post().percentileMillis(99), result.sentPerSecond(),
                    bench.firstArrivalNanos.get() == 0 ? Double.NaN
                            : (bench.firstArrivalNanos.get() - bench.phaseStartNanos) / 1e6);
        } finally {
            if (integrationId != null) {
                http.send(HttpRequest.newBuilder(URI.create(integrationsUrl + "/v1/workspaces/" + workspace
                                + "/integrations/" + integrationId)).header("authorization", "Bearer " + apiKey)
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
            bench.receiver.stop(0);
        }
    }

    private record Result(long sent, long errors, LatencyStats post, double sentPerSecond) {
    }

    /** Open loop: one POST every 1/rate s on its own virtual thread, whatever the answers take. */
    private Result run(HttpClient http, String ingestUrl, String apiKey, String workspace, List<String> destinations,
            int rate, int seconds, int eventBytes, String phase) throws InterruptedException {
        LatencyStats post = new LatencyStats();
        AtomicLong errors = new AtomicLong();
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        phaseStartNanos = start;
        firstArrivalNanos.set(0);
        // an executor, not a list of threads: a soak posts close to a million events, and a list would keep every
        // finished thread and its request body alive (the bench ran out of heap after 20 minutes at 500/s)
        ExecutorService posting = Executors.newVirtualThreadPerTaskExecutor();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int endpoint = (int) (i % destinations.size());
            String eventId = UUID.randomUUID().toString();
            // attributes.shard picks the endpoint (one routing rule per endpoint)
            String body = BenchEvents.reportCompleted(eventId, i, workspace, Map.of("shard", String.valueOf(endpoint)),
                    eventBytes);
            String notificationId = NotificationIds.of(eventId, destinations.get(endpoint));
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/events"))
                    .header("content-type", "application/json").header("authorization", "Bearer " + apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            posting.execute(() -> {
                // latency counts from when the event was due, so waiting for a free connection is included
                long sent = due;
                sentAt.put(notificationId, sent);
                try {
                    connections.acquire();
                } catch (InterruptedException e) {
                    errors.incrementAndGet();
                    sentAt.remove(notificationId);
                    return;
                }
                try {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    post.recordNanos(System.nanoTime() - sent);
                    if (response.statusCode() != 202) {
                        errors.incrementAndGet();
                        sentAt.remove(notificationId);
                    }
                } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                    sentAt.remove(notificationId);
                } finally {
                    connections.release();
                }
            });
        }
        double sentSeconds = (System.nanoTime() - start) / 1e9;
        posting.close(); // waits for the requests still in flight
        System.out.printf(Locale.ROOT, "%s: %d events sent in %.1f s, %d POST errors%n", phase, total, sentSeconds,
                errors.get());
        return new Result(total, errors.get(), post, total / sentSeconds);
    }

    /** Waits until every sent notification arrived (true) or {@code timeout} passed (false). */
    private boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sentAt.isEmpty()) {
            if (System.nanoTime() > deadline) {
                System.out.printf("%d notifications did not arrive within %s%n", sentAt.size(), timeout);
                sentAt.clear();
                return false;
            }
            Thread.sleep(50); // a bench polling its own counter, not a test
        }
        return true;
    }

    private void receive(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        exchange.getRequestBody().readAllBytes();
        Long sent = sentAt.remove(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
        if (sent != null) {
            latency.recordNanos(now - sent);
            arrived.incrementAndGet();
            firstArrivalNanos.compareAndSet(0, now);
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /**
     * Integrations of an earlier run that was killed before its cleanup: their endpoints are gone, and the router would
     * still fan every bench event out to them (and the sender retry them), skewing this run.
     */
    static void deleteLeftovers(HttpClient http, String integrationsUrl, String apiKey, String workspace)
            throws IOException, InterruptedException {
        String url = integrationsUrl + "/v1/workspaces/" + workspace + "/integrations";
        String list = http.send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + apiKey)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher leftover = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"workspaceId\":\"[^\"]*\",\"kind\":\"webhook\","
                + "\"name\":\"e2e bench ").matcher(list);
        while (leftover.find()) {
            http.send(HttpRequest.newBuilder(URI.create(url + "/" + leftover.group(1)))
                    .header("authorization", "Bearer " + apiKey).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            System.out.println("deleted the integration of an earlier, interrupted run: " + leftover.group(1));
        }
    }

    /** One webhook integration, endpoint {@code e<i>} at /e2e/<i>, rule "attributes.shard == i" → e<i>. */
    static String createIntegration(HttpClient http, String integrationsUrl, String apiKey, String workspace,
            String base, int endpoints, List<String> destinations) throws IOException, InterruptedException {
        StringBuilder channels = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < endpoints; i++) {
            channels.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\",\"url\":\"").append(base)
                    .append("/e2e/").append(i).append("\"}");
            rules.append(i == 0 ? "" : ",").append("{\"id\":\"shard").append(i)
                    .append("\",\"match\":{\"types\":[\"report.completed\"],\"attributes\":[{\"key\":\"shard\",")
                    .append("\"equals\":\"").append(i).append("\"}]},\"channelId\":\"e").append(i).append("\"}");
        }
        String body = "{\"kind\":\"webhook\",\"name\":\"e2e bench " + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"notificationTypes\":{\"report.completed\":true},\"channels\":[" + channels
                + "],\"rules\":[" + rules + "],\"defaultChannelId\":\"e0\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(integrationsUrl + "/v1/workspaces/" + workspace + "/integrations"))
                .header("content-type", "application/json").header("authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the bench integration failed: HTTP " + response.statusCode()
                    + " " + response.body());
        }
        Matcher matcher = DESTINATION.matcher(response.body());
        while (matcher.find()) {
            destinations.add(matcher.group(1));
        }
        if (destinations.size() != endpoints) {
            throw new IllegalStateException("expected " + endpoints + " destinations in " + response.body());
        }
        return destinations.getFirst().substring(0, destinations.getFirst().indexOf('/'));
    }
}
