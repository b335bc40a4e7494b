package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on purpose, against real processes on loopback: a Kafka broker (its own process, so it can be SIGKILLed),
 * the schema registry, ingest, router and webhook-sender, and a counting HTTP receiver. Each scenario runs a steady
 * load through ingest's HTTP API, injects its fault, and then checks by counting at the receiver that every event
 * ingest accepted (202) was delivered; duplicates (allowed by at-least-once) are reported.
 *
 * <p>The short version runs in ./mvnw verify; {@code -Dchaos.full=true} (bench/chaos) runs the long one: higher
 * load and the fault durations the runbook talks about. Disk full on the broker's data directory is not covered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    private static final boolean FULL = Boolean.getBoolean("chaos.full");
    private static final int RATE = FULL ? 200 : 40; // events per second posted to ingest
    /** SIGKILLs in the kill loop, alternating router and webhook-sender; the short version kills each once */
    private static final int KILLS = FULL ? 5 : 2;
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration DRAIN = Duration.ofMinutes(FULL ? 10 : 4);
    private static final String ADMIN_API_KEY = "chaos-admin-" + UUID.randomUUID();
    private static final String KEYS = "chaos:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final int WORKSPACES = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    private static BrokerProcess broker;
    private static ServiceProcess registry;
    private static ServiceGroup services;
    private static ServiceProcess ingest;
    private static ServiceProcess router;
    private static ServiceProcess sender;
    private static HttpServer receiver;
    private static volatile boolean receiverDown;
    /** notification id (webhook-id) → requests answered 2xx with it */
    private static final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    /** notification ids whose first request came in */
    private static final List<String> arrivalOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    /** workspace → destination id of its endpoint */
    private static final Map<String, String> destinations = new ConcurrentHashMap<>();

    @BeforeAll
    static void startSystem() throws Exception {
        broker = BrokerProcess.start("chaos-kafka");
        broker.createTopics(3, Topics.PLATFORM_EVENTS, Topics.notifications("webhook"));
        broker.createTopics(1, Topics.PLATFORM_EVENTS_DLQ, Topics.deadLetter("webhook"), Topics.CONNECTORS_CONFIG,
                Topics.CONNECTORS_STATUS);
        registry = ServiceProcess.startMain("chaos-schema-registry",
                "com.messagingconnectors.registry.SchemaRegistryServer",
                List.of("--bootstrap-servers", broker.bootstrapServers()), Map.of(), "/subjects")
                .awaitReady(STARTUP);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 500);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (receiverDown) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                if (delivered.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
                    arrivalOrder.add(id);
                }
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        for (int i = 0; i < WORKSPACES; i++) {
            writeIntegration("ws_chaos_" + i);
        }
        String kafka = broker.bootstrapServers();
        services = new ServiceGroup(List.of("--spring.kafka.bootstrap-servers=" + kafka,
                "--schema.registry.url=" + registry.url(""), "--connectors.kafka.bootstrap-servers=" + kafka,
                "--connectors.security.admin-api-key=" + ADMIN_API_KEY, "--connectors.secrets.keys=" + KEYS));
        ingest = services.start("ingest-service", List.of());
        router = services.start("router-service", List.of());
        // the retry schedule compressed: "hours" of an endpoint being down pass in seconds
        sender = services.start("webhook-sender", List.of("--connectors.security.local-mode=true",
                "--connectors.delivery.schedule=" + (FULL ? "0s,1s,5s,15s,30s,60s,120s,240s" : "0s,1s,2s,4s,8s,16s"),
                "--connectors.delivery.topic-partitions=3"));
        services.awaitReady(STARTUP);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (AutoCloseable closing : new AutoCloseable[] {services, registry, broker}) {
            if (closing != null) {
                closing.close();
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    @Order(1)
    void brokerSigkilledMidBurstAndRestartedTenSecondsLater() throws Exception {
        Load load = Load.start();
        load.awaitAccepted(RATE * 5);
        broker.kill();
        Instant killed = Instant.now();
        await("ingest answers 503 while the broker is down").atMost(Duration.ofSeconds(30))
                .until(() -> load.unavailable.get() > 0);
        sleepUntil(killed.plusSeconds(10)); // the fault's duration: the broker stays down 10 s
        broker.restart();
        load.awaitAccepted(load.accepted.size() + RATE * 5);
        load.stop();
        report("broker SIGKILL, restarted after 10 s", load, awaitAllDelivered(load));
        assertThat(load.unavailable.get()).as("503 answers while the broker was down").isPositive();
    }

    @Test
    @Order(2)
    void schemaRegistryDown() throws Exception {
        Load load = Load.start();
        load.awaitAccepted(RATE * 3);
        registry.kill();
        sleepFor(Duration.ofSeconds(FULL ? 30 : 10));
        registry = registry.restart("after-kill").awaitReady(STARTUP);
        load.awaitAccepted(load.accepted.size() + RATE * 3);
        load.stop();
        report("schema registry down " + (FULL ? 30 : 10) + " s", load, awaitAllDelivered(load));
        assertThat(endOffsets(Topics.deadLetter("webhook")) + endOffsets(Topics.PLATFORM_EVENTS_DLQ))
                .as("nothing dead-lettered because the registry was away").isZero();
    }

    @Test
    @Order(3)
    void receiverDownForHoursOnACompressedSchedule() throws Exception {
        receiverDown = true;
        Load load = Load.start();
        load.awaitAccepted(RATE * 5);
        load.stop();
        // down for most of the (compressed) schedule, back before its last step
        sleepFor(Duration.ofSeconds(FULL ? 300 : 20));
        receiverDown = false;
        report("receiver down " + (FULL ? "5 min" : "20 s") + " (retry schedule compressed)", load,
                awaitAllDelivered(load));
        assertThat(endOffsets(Topics.deadLetter("webhook"))).as("nothing dead-lettered before the schedule ended")
                .isZero();
    }

    @Test
    @Order(4)
    void routerAndSenderSigkilledInALoopDuringABurst() throws Exception {
        Load load = Load.start();
        for (int round = 1; round <= KILLS; round++) {
            sleepFor(Duration.ofSeconds(5));
            if (round % 2 == 1) {
                router.kill();
                router = router.restart("kill-" + round);
            } else {
                sender.kill();
                sender = sender.restart("kill-" + round);
            }
        }
        router.awaitReady(STARTUP);
        sender.awaitReady(STARTUP);
        load.stop();
        report("router and webhook-sender SIGKILLed " + KILLS + " times, every 5 s", load, awaitAllDelivered(load));
    }

    // --- helpers

    /** Waits until every accepted event's notification arrived; returns the duplicates (extra requests). */
    private static long awaitAllDelivered(Load load) {
        Set<String> expected = new HashSet<>();
        load.accepted.forEach((eventId, workspace) -> expected.add(NotificationIds.of(eventId,
                destinations.get(workspace))));
        await("every accepted event delivered").atMost(DRAIN).pollInterval(Duration.ofSeconds(1))
                .until(() -> delivered.keySet().containsAll(expected));
        return expected.stream().mapToLong(id -> delivered.get(id).get() - 1).sum();
    }

    private static void report(String scenario, Load load, long duplicates) {
        System.out.printf("chaos [%s]: %d events accepted (202), %d answered 503, other errors %s; all %d delivered,"
                        + " %d duplicate requests%n", scenario, load.accepted.size(), load.unavailable.get(),
                load.failed.isEmpty() ? "none" : load.failed, load.accepted.size(), duplicates);
    }

    private static long endOffsets(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** The fault's duration (not a wait for a condition): the system is left in the fault for this long. */
    private static void sleepFor(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        Duration left = Duration.between(Instant.now(), instant);
        if (!left.isNegative()) {
            Thread.sleep(left);
        }
    }

    /** Posts RATE events per second to ingest (spread over the workspaces) until stopped; tallies the answers. */
    private static final class Load {
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final AtomicLong unavailable = new AtomicLong();
        /** Answers that were neither 202 nor 503, by status or by the client's exception (a timeout, a reset). */
        final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong sent = new AtomicLong();

        static Load start() {
            Load load = new Load();
            load.clock.scheduleAtFixedRate(load::postOne, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
            return load;
        }

        void awaitAccepted(int count) {
            await("ingest accepted " + count + " events").atMost(Duration.ofMinutes(3))
                    .until(() -> accepted.size() >= count);
        }

        void stop() throws InterruptedException {
            clock.shutdown();
            clock.awaitTermination(10, TimeUnit.SECONDS);
        }

        private void postOne() {
            String eventId = UUID.randomUUID().toString();
            String workspace = "ws_chaos_" + (sent.getAndIncrement() % WORKSPACES);
            HttpRequest request = HttpRequest.newBuilder(ingest.url("/v1/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + ADMIN_API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"id": "%s", "type": "report.completed", "workspaceId": "%s", "level": "info",
                             "summary": "chaos", "payload": {"reportId": "r", "reportName": "chaos", "rowCount": 1}}""".formatted(eventId, workspace)))
                    .build();
            HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 202) {
                    accepted.put(eventId, workspace);
                } else if (error == null && response.statusCode() == 503) {
                    unavailable.incrementAndGet();
                } else {
                    String kind = error == null ? "HTTP " + response.statusCode()
                            : (error.getCause() == null ? error : error.getCause()).getClass().getSimpleName();
                    failed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
            });
        }
    }

    private static void writeIntegration(String workspace) throws Exception {
        SecretBox secrets = SecretBox.fromConfig(KEYS, null);
        String id = "int-" + UUID.randomUUID();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/" + workspace);
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig("receiver", "receiver", url.toString(), null,
                List.of(secrets.seal("whsec_" + Base64.getEncoder().encodeToString(new byte[24]),
                        SecretPurposes.signing(workspace, id, "receiver"))), true);
        IntegrationConfig integration = new IntegrationConfig(id, workspace, IntegrationKind.webhook, "chaos", true,
                Map.of("report.completed", true), "receiver", List.of(endpoint), List.of(), Map.of(), Map.of(), 1,
                Instant.now(), Instant.now());
        destinations.put(workspace, integration.destinationId("receiver"));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                    new ConfigKey(ConfigKey.INTEGRATION, workspace, id).toString(), ConfigCodec.encode(integration)))
                    .get();
        }
    }
}
