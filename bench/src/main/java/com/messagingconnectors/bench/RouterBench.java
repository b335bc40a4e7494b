package com.messagingconnectors.bench;

import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The router benchmark: seeds N workspaces (3 integrations, 5 rules each) into connectors.config, then
 * measures the running router's sustained throughput (events/s drained from platform.events, from its committed
 * offsets) and the latency from producing an event to its first notification being readable (read_committed).
 * Modes: {@code seed}, {@code throughput}, {@code latency}; bench/run-router runs them in order.
 */
public final class RouterBench {
    private static final String[] TYPES = {"report.completed", "sync.failed", "user.invited", "user.deactivated",
            "alert.triggered"};

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String registry = args.string("registry", "http://127.0.0.1:8081");
        int workspaces = args.integer("workspaces", 10_000);
        switch (args.string("mode", "throughput")) {
            case "seed" -> seed(bootstrap, workspaces);
            case "throughput" -> throughput(bootstrap, registry, workspaces, args.integer("events", 300_000));
            case "latency" -> latency(bootstrap, registry, workspaces, args.integer("rate", 2_000),
                    args.integer("seconds", 20));
            default -> throw new IllegalArgumentException("--mode seed|throughput|latency");
        }
    }

    /** 3 integrations × 5 rules per workspace, written in large transactions (as integration-service would, faster). */
    static void seed(String bootstrap, int workspaces) {
        Properties props = producerProps(bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "router-bench-seed-" + UUID.randomUUID());
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            int written = 0;
            for (int w = 0; w < workspaces; w++) {
                String ws = workspace(w);
                for (IntegrationKind kind : IntegrationKind.values()) {
                    IntegrationConfig integration = integration(ws, kind);
                    producer.send(new ProducerRecord<>("connectors.config",
                            new ConfigKey(ConfigKey.INTEGRATION, ws, integration.id()).toString(),
                            ConfigCodec.encode(integration)));
                    if (++written % 5_000 == 0) {
                        producer.commitTransaction();
                        producer.beginTransaction();
                    }
                }
            }
            producer.commitTransaction();
            System.out.printf(Locale.ROOT, "seed: %d workspaces, %d integrations, %d rules in %.1f s%n", workspaces,
                    written, written * 5, (System.nanoTime() - start) / 1e9);
        }
    }

    static IntegrationConfig integration(String ws, IntegrationKind kind) {
        Map<String, Boolean> all = Map.of("report.completed", true, "sync.failed", true, "user.invited", true,
                "user.deactivated", true, "alert.triggered", true);
        List<ChannelConfig> channels = new ArrayList<>();
        for (int c = 1; c <= 5; c++) {
            channels.add(kind == IntegrationKind.webhook
                    ? new WebhookEndpointConfig("ch" + c, "endpoint " + c, "https://hooks.example.com/" + ws + "/" + c,
                    null, null, null, null, true, null, null)
                    : kind == IntegrationKind.teams ? new TeamsChannelConfig("ch" + c, "#channel-" + c, "team1")
                    : new SlackChannelConfig("ch" + c, "#channel-" + c));
        }
        List<RoutingRule> rules = List.of(
                rule("reports", List.of("report.completed"), List.of(), List.of(), "ch1", false),
                rule("people", List.of("user.*"), List.of(), List.of(), "ch2", false),
                rule("alerts", List.of("*"), List.of("alert"), List.of(), "ch3", true),
                rule("syncs", List.of("sync.failed"), List.of(), List.of(), "ch4", false),
                rule("prod", List.of("*"), List.of(),
                        List.of(new AttributeMatch("env", null, "prod(-.*)?")), "ch5", false));
        Instant now = Instant.now();
        return new IntegrationConfig(kind.name() + "-" + ws, ws, kind, kind.name(), true, all, "ch1", channels, rules,
                null, null, 1, now, now);
    }

    private static RoutingRule rule(String id, List<String> types, List<String> levels, List<AttributeMatch> attrs,
                                    String channel, boolean cont) {
        return new RoutingRule(id, null, new RuleMatch(types, levels, attrs), channel, cont);
    }

    /** Produces {@code events} as fast as the producer goes; the router's drain rate is read off its commits. */
    static void throughput(String bootstrap, String registry, int workspaces, int events) throws Exception {
        List<byte[]> prepared = prepare(registry, workspaces, 20_000);
        Map<TopicPartition, Long> before = committed(bootstrap);
        long beforeTotal = before.values().stream().mapToLong(Long::longValue).sum();
        long start = System.nanoTime();
        Random random = new Random(1);
        try (var producer = new KafkaProducer<>(producerProps(bootstrap), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>("platform.events", workspace(random.nextInt(workspaces)),
                        prepared.get(i % prepared.size())));
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        long target = beforeTotal + events;
        long lastTotal = beforeTotal;
        long lastChange = System.nanoTime();
        while (true) {
            long total = committed(bootstrap).values().stream().mapToLong(Long::longValue).sum();
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = System.nanoTime();
            }
            if (total >= target || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(30)) {
                break;
            }
            Thread.sleep(100);
        }
        double seconds = (lastChange - start) / 1e9;
        long routed = lastTotal - beforeTotal;
        System.out.printf(Locale.ROOT, "router throughput: %d events routed in %.1f s = %.0f events/s "
                + "(produced in %.1f s = %.0f events/s)%n", routed, seconds, routed / seconds, produceSeconds,
                events / produceSeconds);
        System.out.printf(Locale.ROOT, "RESULT router_events_per_second=%.0f%n", routed / seconds);
    }

    /** A steady rate; latency = produced → first notification of that event readable by a read_committed consumer. */
    static void latency(String bootstrap, String registry, int workspaces, int rate, int seconds) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        LatencyStats stats = new LatencyStats();
        AtomicBoolean running = new AtomicBoolean(true);
        Properties cprops = KafkaClients.properties(bootstrap);
        cprops.put(ConsumerConfig.GROUP_ID_CONFIG, "router-bench-latency-" + UUID.randomUUID());
        cprops.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cprops.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var consumer = new KafkaConsumer<>(cprops, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("notifications.slack", "notifications.teams", "notifications.webhook"));
                while (running.get()) {
                    consumer.poll(java.time.Duration.ofMillis(50)).forEach(r -> {
                        // the event id is in the Avro body as a plain UTF-8 string: find the id we produced
                        String body = new String(r.value(), StandardCharsets.ISO_8859_1);
                        int at = body.indexOf("bench-");
                        if (at >= 0) {
                            Long sent = sentAt.remove(body.substring(at, at + 42));
                            if (sent != null) {
                                stats.recordNanos(System.nanoTime() - sent);
                            }
                        }
                    });
                }
            }
        });
        Thread.sleep(3_000); // the reader joins its group before anything is sent
        AvroSerializer<PlatformEvent> avro = serializer(registry);
        Random random = new Random(2);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        int total = rate * seconds;
        try (var producer = new KafkaProducer<>(producerProps(bootstrap), new StringSerializer(),
                new ByteArraySerializer())) {
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String id = String.format(Locale.ROOT, "bench-%036d", i); // 42 chars
                String ws = workspace(random.nextInt(workspaces));
                byte[] value = avro.serialize("platform.events", event(id, ws, i));
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                sentAt.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>("platform.events", ws, value));
                next += intervalNanos;
            }
        }
        Thread.sleep(5_000);
        running.set(false);
        reader.join();
        System.out.printf(Locale.ROOT, "router latency at %d events/s for %d s: produced → first notification readable"
                        + " (read_committed): p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d of %d measured%n", rate, seconds,
                stats.percentileMillis(50), stats.percentileMillis(99), stats.percentileMillis(100), stats.count(),
                total);
        System.out.printf(Locale.ROOT, "RESULT router_latency_p99_ms=%.1f%n", stats.percentileMillis(99));
    }

    private static List<byte[]> prepare(String registry, int workspaces, int count) {
        AvroSerializer<PlatformEvent> avro = serializer(registry);
        Random random = new Random(3);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(avro.serialize("platform.events", event(UUID.randomUUID().toString(),
                    workspace(random.nextInt(workspaces)), i)));
        }
        return out;
    }

    private static PlatformEvent event(String id, String ws, int i) {
        String type = TYPES[i % TYPES.length];
        return PlatformEvent.newBuilder().setEventId(id).setType(type).setWorkspaceId(ws)
                .setOccurredAt(Instant.now()).setLevel(type.startsWith("alert") ? Level.alert : Level.info)
                .setSummary("benchmark event " + i).setAttributes(Map.of("env", i % 2 == 0 ? "prod" : "staging"))
                .setPayload(new GenericPayload("{\"n\":" + i + "}")).build();
    }

    private static AvroSerializer<PlatformEvent> serializer(String registry) {
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", registry), false);
        return avro;
    }

    private static Map<TopicPartition, Long> committed(String bootstrap) throws Exception {
        Properties props = KafkaClients.properties(bootstrap);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("router-service")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new java.util.HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null && tp.topic().equals("platform.events")) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        }
    }

    /** acks=all, idempotent, batched: how the services' producers send (DigestBench's too). */
    static Properties producerProps(String bootstrap) {
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    static String workspace(int i) {
        return "ws_bench_" + i;
    }
}
