package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Delivery benchmark against a running local stack (Kafka, registry, integration-service, webhook-sender):
 * <ol>
 *   <li>throughput: {@code --count} notifications produced straight to notifications.webhook for {@code --endpoints}
 *       endpoints of one webhook integration (created through integration-service) on a fast local receiver;
 *       deliveries/s = notifications / (last arrival − first arrival); then {@code wrk} against the same receiver
 *       (when installed) for the ratio;</li>
 *   <li>isolation: {@code --rate} notifications/s for {@code --seconds} over the endpoints, once all healthy and once
 *       with endpoint 0 hanging (accepts, never answers) and endpoint 1 answering 500; p50/p99 of event occurred →
 *       received at the healthy endpoints.</li>
 * </ol>
 */
public final class DeliveryBench {
    private static final Pattern DESTINATION = Pattern.compile("\"destinationId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer receiver;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong firstArrivalNanos = new AtomicLong();
    private final AtomicLong lastArrivalNanos = new AtomicLong();
    private volatile LatencyStats healthyLatency = new LatencyStats();
    private volatile int hangingEndpoint = -1;
    private volatile int failingEndpoint = -1;
    private final CountDownLatch releaseHanging = new CountDownLatch(1);

    private DeliveryBench() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/d/", this::receive);
        receiver.createContext("/wrk", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String bootstrap = args.string("bootstrap-servers", "127.0.0.1:9092");
        String registry = args.string("schema-registry", "http://127.0.0.1:8081");
        String integrationsUrl = args.string("integrations-url", "http://127.0.0.1:8085");
        String apiKey = args.string("api-key", "mck_dev_local_only_ws_demo");
        String workspace = args.string("workspace", "ws_demo");
        int endpoints = args.integer("endpoints", 20);
        int count = args.integer("count", 60_000);
        int rate = args.integer("rate", 500);
        int seconds = args.integer("seconds", 20);
        String mode = args.string("mode", "all");
        // enough to let the JIT compile the delivery path, so the figures are the sender's steady state
        int warmup = Math.max(endpoints, args.integer("warmup", 10_000));

        DeliveryBench bench = new DeliveryBench();
        String base = "http://127.0.0.1:" + bench.receiver.getAddress().getPort();
        Integration integration = createIntegration(integrationsUrl, apiKey, workspace, base, endpoints);
        try (KafkaProducer<String, Notification> producer = producer(bootstrap, registry)) {
            // warm-up: every endpoint answers, which also proves the sender sees the new integration
            bench.send(producer, integration, workspace, warmup);
            bench.awaitReceived(warmup, Duration.ofSeconds(180));
            if (mode.equals("all") || mode.equals("throughput")) {
                bench.throughput(producer, integration, workspace, count);
                wrk(base + "/wrk");
            }
            if (mode.equals("all") || mode.equals("isolation")) {
                LatencyStats healthy = bench.isolation(producer, integration, workspace, rate, seconds, false);
                LatencyStats isolated = bench.isolation(producer, integration, workspace, rate, seconds, true);
                System.out.printf("isolation: all healthy p50 %.1f ms p99 %.1f ms; with a hanging and a 500 endpoint"
                                + " healthy p50 %.1f ms p99 %.1f ms (ratio p99 %.2f; targets < 1000 ms and ≤ 2x)%n",
                        healthy.percentileMillis(50), healthy.percentileMillis(99), isolated.percentileMillis(50),
                        isolated.percentileMillis(99), isolated.percentileMillis(99) / healthy.percentileMillis(99));
            }
        } finally {
            bench.releaseHanging.countDown();
            deleteIntegration(integrationsUrl, apiKey, workspace, integration.id());
            bench.receiver.stop(0);
        }
    }

    private record Integration(String id, List<String> destinationIds) {
    }

    private void throughput(KafkaProducer<String, Notification> producer, Integration integration, String workspace,
            int count) {
        int before = received.size();
        firstArrivalNanos.set(0);
        long start = System.nanoTime();
        send(producer, integration, workspace, count);
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        awaitReceived(before + count, Duration.ofMinutes(5));
        double seconds = (lastArrivalNanos.get() - firstArrivalNanos.get()) / 1e9;
        System.out.printf("throughput: %d notifications to %d endpoints delivered in %.1f s = %.0f deliveries/s"
                        + " (produced in %.1f s)%n", count, integration.destinationIds().size(), seconds,
                count / seconds, produceSeconds);
    }

    private LatencyStats isolation(KafkaProducer<String, Notification> producer, Integration integration,
            String workspace, int rate, int seconds, boolean withBadEndpoints) throws InterruptedException {
        hangingEndpoint = withBadEndpoints ? 0 : -1;
        failingEndpoint = withBadEndpoints ? 1 : -1;
        healthyLatency = new LatencyStats();
        int endpoints = integration.destinationIds().size();
        int total = rate * seconds;
        int healthyTotal = 0;
        long tickNanos = 10_000_000L;
        int perTick = Math.max(1, rate / 100);
        long next = System.nanoTime();
        int before = received.size();
        for (int sent = 0; sent < total; ) {
            for (int i = 0; i < perTick && sent < total; i++, sent++) {
                int endpoint = sent % endpoints;
                producer.send(record(integration, workspace, endpoint));
                if (endpoint != hangingEndpoint && endpoint != failingEndpoint) {
                    healthyTotal++;
                }
            }
            next += tickNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the load generator
            }
        }
        producer.flush();
        awaitReceivedHealthy(before, healthyTotal, withBadEndpoints, Duration.ofMinutes(2));
        System.out.printf("isolation run (%s): %d notifications at %d/s, healthy endpoints: %s%n",
                withBadEndpoints ? "endpoint 0 hangs, endpoint 1 answers 500" : "all endpoints healthy", total, rate,
                healthyLatency.summary());
        return healthyLatency;
    }

    private void awaitReceivedHealthy(int before, int healthyTotal, boolean withBadEndpoints, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (healthyLatency.count() < healthyTotal && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (healthyLatency.count() < healthyTotal) {
            System.out.printf("WARNING: only %d of %d healthy deliveries arrived%n", healthyLatency.count(),
                    healthyTotal);
        }
    }

    private void send(KafkaProducer<String, Notification> producer, Integration integration, String workspace,
            int count) {
        for (int i = 0; i < count; i++) {
            producer.send(record(integration, workspace, i % integration.destinationIds().size()));
        }
        producer.flush();
    }

    private static ProducerRecord<String, Notification> record(Integration integration, String workspace,
            int endpoint) {
        String destinationId = integration.destinationIds().get(endpoint);
        return new ProducerRecord<>(Topics.notifications("webhook"), destinationId, BenchEvents.notification(
                UUID.randomUUID().toString(), "webhook", destinationId, workspace, "bench",
                "{\"endpoint\":" + endpoint + "}"));
    }

    private void awaitReceived(int total, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received.size() + " of " + total + " arrived in " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        Instant arrived = Instant.now();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int endpoint = Integer.parseInt(exchange.getRequestURI().getPath().substring(3));
        if (endpoint == hangingEndpoint) {
            try {
                releaseHanging.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (endpoint == failingEndpoint) {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return;
        }
        if (received.add(exchange.getRequestHeaders().getFirst("webhook-id"))) {
            firstArrivalNanos.compareAndSet(0, now);
            lastArrivalNanos.set(now);
            Matcher timestamp = TIMESTAMP.matcher(body);
            if (timestamp.find()) {
                healthyLatency.recordNanos(Duration.between(Instant.parse(timestamp.group(1)), arrived).toNanos());
            }
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static Integration createIntegration(String integrationsUrl, String apiKey, String workspace, String base,
            int endpoints) throws IOException, InterruptedException {
        StringBuilder channels = new StringBuilder();
        for (int i = 0; i < endpoints; i++) {
            channels.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\",\"url\":\"").append(base)
                    .append("/d/").append(i).append("\"}");
        }
        String body = "{\"kind\":\"webhook\",\"name\":\"delivery bench\",\"notificationTypes\":{\"report.completed\":true},"
                + "\"channels\":[" + channels + "],\"defaultChannelId\":\"e0\"}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(integrationsUrl + "/v1/workspaces/" + workspace + "/integrations"))
                .header("content-type", "application/json").header("authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the bench integration failed: HTTP " + response.statusCode()
                    + " " + response.body());
        }
        List<String> destinations = new ArrayList<>();
        Matcher matcher = DESTINATION.matcher(response.body());
        while (matcher.find()) {
            destinations.add(matcher.group(1));
        }
        String id = destinations.getFirst().substring(0, destinations.getFirst().indexOf('/'));
        return new Integration(id, destinations);
    }

    private static void deleteIntegration(String integrationsUrl, String apiKey, String workspace, String id) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(integrationsUrl + "/v1/workspaces/" + workspace + "/integrations/" + id))
                    .header("authorization", "Bearer " + apiKey).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            System.out.println("could not delete the bench integration " + id + ": " + e);
        }
    }

    /** wrk against the same receiver (POST of a small JSON body), when wrk is installed. */
    private static void wrk(String url) throws IOException, InterruptedException {
        Path script = Files.createTempFile("wrk-post", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '{\"type\":\"report.completed\"}'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        Process process;
        try {
            process = new ProcessBuilder("wrk", "-t2", "-c64", "-d10s", "-s", script.toString(), url)
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            System.out.println("wrk: not installed (apt-get install -y wrk); skipped");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        System.out.println("wrk (2 threads, 64 connections, 10 s) against the same receiver: "
                + (rate.find() ? rate.group(1) + " requests/s" : "no result:\n" + output));
        Files.deleteIfExists(script);
    }

    private static KafkaProducer<String, Notification> producer(String bootstrap, String registry) {
        Properties properties = KafkaClients.properties(bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        properties.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        return new KafkaProducer<>(properties);
    }
}
