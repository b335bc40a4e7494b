package com.messagingconnectors.teams;

import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark: cards/s from notifications.teams through the real engine + TeamsChannel to a stand-in Graph
 * that throttles like Teams (429 + Retry-After: 1 beyond 4 requests/s per channel), across 50 channels. Reports
 * throughput, the 429 rate (target &lt; 1 %) and that every card arrived. Not part of the build:
 * {@code ./mvnw -o -pl teams-sender test -Dtest=TeamsThrottleBench -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * (knob: {@code -Dbench.perChannel=40}); the summary goes to stdout and teams-sender/target/bench-teams.txt.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.teams.client-id=bench", "connectors.teams.client-secret=bench",
        "connectors.delivery.topic-partitions=6", "connectors.delivery.shutdown-timeout=2s",
        "logging.level.com.messagingconnectors=WARN"})
class TeamsThrottleBench {
    static final int CHANNELS = 50;
    static final double PER_SECOND = 4;
    static final SecretBox SECRETS = SecretBox.fromConfig("t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null);
    static final ThrottlingGraph graph = new ThrottlingGraph();

    @Autowired
    ConfigView configView;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.teams.authority-base-url", () -> graph.url() + "/login");
        registry.add("connectors.teams.graph-base-url", () -> graph.url() + "/graph");
    }

    @Test
    void cardsPerSecondAgainstAThrottlingGraph() throws Exception {
        int perChannel = Integer.getInteger("bench.perChannel", 40);
        TestInfrastructure.createTopics(3, "connectors.config", "connectors.status");
        String ws = "ws-bench";
        String id = "int-bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<ChannelConfig> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            channels.add(new TeamsChannelConfig("ch-" + c, "#ch-" + c, "team-1"));
        }
        IntegrationConfig integration = new IntegrationConfig(id, ws, IntegrationKind.teams, "bench", true,
                Map.of("alert.triggered", true), "ch-0", channels, List.of(),
                Map.of(TeamsKind.REFRESH_TOKEN, SECRETS.seal("rt", SecretPurposes.credential(ws, id,
                        TeamsKind.REFRESH_TOKEN))), Map.of("tenant_id", "t"), 1, Instant.now(), Instant.now());
        AvroSerializer<Notification> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()), false);
        int total = CHANNELS * perChannel;
        Instant start;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestInfrastructure.producerProperties())) {
            producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG, new ConfigKey(ConfigKey.INTEGRATION, ws, id)
                    .toString(), ConfigCodec.encode(integration))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> configView.integration(ws, id).isPresent());
            PlatformEvent sample = Events.samples().get("alert.triggered");
            start = Instant.now();
            for (int i = 0; i < total; i++) {
                String channelId = "ch-" + (i % CHANNELS);
                PlatformEvent event = PlatformEvent.newBuilder(sample).setEventId(UUID.randomUUID().toString())
                        .setWorkspaceId(ws).setSummary("bench-" + i).build();
                String destinationId = integration.destinationId(channelId);
                Notification n = Notification.newBuilder()
                        .setNotificationId(NotificationIds.of(event.getEventId(), destinationId)).setChannel("teams")
                        .setDestination(new Destination(destinationId, id, channelId)).setRoutedAt(Instant.now())
                        .setEvent(event).build();
                producer.send(new ProducerRecord<>(Topics.notifications("teams"), destinationId,
                        serializer.serialize(Topics.notifications("teams"), n)));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60L + 2L * perChannel)).pollInterval(Duration.ofMillis(200))
                .until(() -> graph.delivered.size() >= total);
        Duration elapsed = Duration.between(start, graph.lastDelivery);
        double perSecond = total / (elapsed.toMillis() / 1000.0);
        long requests = graph.accepted.get() + graph.throttled.get();
        double throttledRate = 100.0 * graph.throttled.get() / requests;
        String summary = String.format(java.util.Locale.ROOT, """
                teams-sender throttled-Graph benchmark
                  channels: %d, cards: %d (%d per channel), Graph limit: %.0f requests/s per channel (429 + Retry-After: 1 beyond)
                  all arrived: %s (%d distinct cards, %d accepted requests incl. duplicates)
                  elapsed: %.2f s (first produce to last accepted card)
                  throughput: %.1f cards/s (ceiling %.0f cards/s = channels x limit)
                  429 answers: %d of %d requests = %.2f %% (target < 1 %%)
                  load average: %s
                """, CHANNELS, total, perChannel, PER_SECOND, graph.delivered.size() >= total, graph.delivered.size(),
                graph.accepted.get(), elapsed.toMillis() / 1000.0, perSecond, CHANNELS * PER_SECOND,
                graph.throttled.get(), requests, throttledRate,
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println(summary);
        Files.writeString(Path.of("target/bench-teams.txt"), summary);
        assertThat(graph.delivered).hasSize(total);
        assertThat(throttledRate).isLessThan(1.0);
    }

    /** Graph stand-in: token endpoint + channel messages with a 4/s token bucket per channel. */
    static final class ThrottlingGraph {
        final Set<Integer> delivered = ConcurrentHashMap.newKeySet();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        volatile Instant lastDelivery = Instant.now();
        private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
        private final Pattern marker = Pattern.compile("bench-(\\d+)");
        private final HttpServer server;

        ThrottlingGraph() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/login", e -> answer(e, 200, "{\"access_token\":\"at\",\"expires_in\":3600}", null));
            server.createContext("/graph", this::message);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void message(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String channel = exchange.getRequestURI().getPath().replaceAll(".*/channels/([^/]+)/messages", "$1");
            if (!take(channel)) {
                throttled.incrementAndGet();
                answer(exchange, 429, "{\"error\":{\"code\":\"TooManyRequests\"}}", "1");
                return;
            }
            Matcher m = marker.matcher(body);
            if (m.find()) {
                delivered.add(Integer.parseInt(m.group(1)));
            }
            accepted.incrementAndGet();
            lastDelivery = Instant.now();
            answer(exchange, 201, "{\"id\":\"1\"}", null);
        }

        /** Token bucket: PER_SECOND sustained, burst PER_SECOND. */
        private boolean take(String channel) {
            double[] bucket = buckets.computeIfAbsent(channel, c -> new double[] {PER_SECOND, System.nanoTime()});
            synchronized (bucket) {
                long now = System.nanoTime();
                bucket[0] = Math.min(PER_SECOND, bucket[0] + (now - bucket[1]) / 1e9 * PER_SECOND);
                bucket[1] = now;
                if (bucket[0] >= 1) {
                    bucket[0] -= 1;
                    return true;
                }
                return false;
            }
        }

        private static void answer(HttpExchange exchange, int status, String json, String retryAfter) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
