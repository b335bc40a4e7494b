package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.NotificationIds;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This project and a peer (Prometheus Alertmanager) side by side, driven by bench/peer-alertmanager: the same poster,
 * the same receiver, the same loads, one target per run. Each event (an alert, for Alertmanager) carries a label or
 * attribute {@code shard} that a route maps to one of {@code --endpoints} webhook endpoints of the receiver, so both
 * fan out the same way; latency is its arrival at the receiver minus when it was due to be sent.
 *
 * <p>Phases, in order: a warm-up (paced POSTs of 100, then one event per POST, each for the warm-up time), then
 * {@code paced} (1,000 events/s in POSTs of 100 every 100 ms, open loop),
 * {@code flat-batched} (4 clients each POSTing 100 events as soon as the last POST was answered), {@code sequential}
 * (one client, one event per POST, as fast as answered) and {@code idle} (one event per POST every 200 ms). After each
 * phase it waits until everything arrived, then prints one {@code RESULT} line with the figures and the CPU each
 * process of the target used per event (read from /proc, so the script names the processes).
 */
public final class PeerBench {
    private static final int MAX_IN_FLIGHT = 256;
    private static final Pattern ALERT_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final HttpServer receiver;
    private final Target target;
    /** key expected at the receiver → nanoTime the event was due. */
    private final Map<String, Long> dueAt = new ConcurrentHashMap<>();
    private volatile LatencyStats latency = new LatencyStats();
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();
    private final Semaphore connections = new Semaphore(MAX_IN_FLIGHT);
    /** Per-hop times of this project's phases (null for Alertmanager, whose hops are not ours to see). */
    private final HopTimes hops;

    private PeerBench(Target target, int receiverPort, HopTimes hops) throws IOException {
        this.target = target;
        this.hops = hops;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", this::receive);
        receiver.start();
    }

    /** One event to send: its id and the endpoint it is routed to. */
    record Event(String id, long sequence, int shard) {
    }

    /** What differs between the two systems: how events are posted and how the receiver recognises them. */
    interface Target {
        String name();

        HttpRequest post(List<Event> events);

        int acceptedStatus();

        /** The key the receiver will see for this event. */
        String key(Event event);

        /** The keys of the events one notification at the receiver stands for. */
        List<String> keysIn(HttpExchange exchange, String body);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int endpoints = args.integer("endpoints", 20);
        int warmupSeconds = args.integer("warmup-seconds", 30);
        int seconds = args.integer("seconds", 20);
        int eventBytes = args.integer("event-bytes", 1024);
        int receiverPort = args.integer("receiver-port", 0);
        Map<Integer, String> processes = ProcessStats.parse(args.string("processes", ""));
        long clockTicks = args.integer("clock-ticks", 100);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        Target target = switch (args.string("target", "connectors")) {
            case "alertmanager" -> new Alertmanager(args.string("alertmanager-url", "http://127.0.0.1:9193"),
                    eventBytes);
            case "connectors" -> Connectors.connect(http, args.string("ingest-url", "http://127.0.0.1:8080"),
                    args.string("integrations-url", "http://127.0.0.1:8085"), args.string("api-key", ""),
                    args.string("workspace", "ws_bench_peer"), receiverPort, endpoints, eventBytes);
            default -> throw new IllegalArgumentException("--target is connectors or alertmanager");
        };
        String bootstrapServers = args.string("bootstrap-servers", "127.0.0.1:9092");
        HopTimes hops = target instanceof Connectors
                ? new HopTimes(bootstrapServers, args.string("schema-registry", "http://127.0.0.1:8081")) : null;
        PeerBench bench = new PeerBench(target, receiverPort, hops);
        try {
            System.out.printf(Locale.ROOT, "%s: %d endpoints, events of %d bytes, warm-up %d s, phases of %d s%n",
                    target.name(), endpoints, eventBytes, warmupSeconds, seconds);
            // both request shapes warm: a JVM compiles the one-event-per-POST path only once it has run it a while
            bench.paced(http, 1000, 100, warmupSeconds, endpoints);
            bench.closedLoop(http, 1, 1, warmupSeconds, endpoints, Duration.ZERO);
            bench.awaitQuiet(Duration.ofSeconds(120));
            Set<String> phases = Set.of(args.string("phases", "paced,flat-batched,sequential,idle").split(","));
            if (phases.contains("paced")) {
                bench.phase("paced", processes, clockTicks, () -> bench.paced(http, 1000, 100, seconds, endpoints));
            }
            if (phases.contains("flat-batched")) {
                bench.phase("flat-batched", processes, clockTicks,
                        () -> bench.closedLoop(http, 4, 100, seconds, endpoints, Duration.ZERO));
            }
            if (phases.contains("sequential")) {
                bench.phase("sequential", processes, clockTicks,
                        () -> bench.closedLoop(http, 1, 1, seconds, endpoints, Duration.ZERO));
            }
            if (phases.contains("sequential") && target instanceof Connectors) {
                rawSequentialProduce(bootstrapServers, seconds, eventBytes, processes, clockTicks);
            }
            if (phases.contains("idle")) {
                bench.phase("idle", processes, clockTicks,
                        () -> bench.closedLoop(http, 1, 1, seconds, endpoints, Duration.ofMillis(200)));
            }
        } finally {
            if (target instanceof Connectors connectors) {
                connectors.delete(http);
            }
            bench.receiver.stop(0);
        }
    }

    /** What a load phase did at the client. */
    private record Sent(long events, long errors, LatencyStats post, long startNanos) {
    }

    @FunctionalInterface
    private interface Load {
        Sent run() throws InterruptedException;
    }

    private void phase(String name, Map<Integer, String> processes, long clockTicks, Load load)
            throws InterruptedException {
        latency = new LatencyStats();
        arrived.set(0);
        if (hops != null) {
            hops.begin();
        }
        Map<String, Long> cpuBefore = ProcessStats.cpuTicks(processes);
        Sent sent = load.run();
        boolean all = awaitQuiet(Duration.ofSeconds(120));
        ProcessStats.CpuUse cpu = ProcessStats.CpuUse.between(cpuBefore, ProcessStats.cpuTicks(processes), clockTicks);
        double seconds = (lastArrival.get() - sent.startNanos()) / 1e9;
        LatencyStats e2e = latency;
        System.out.printf(Locale.ROOT, "RESULT target=%s phase=%s sent=%d errors=%d arrived=%d all=%s "
                        + "notifications_per_s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f post_p50_ms=%.2f "
                        + "post_p99_ms=%.2f cpu_ms_per_event=%.3f%s%n",
                target.name(), name, sent.events(), sent.errors(), arrived.get(), all, arrived.get() / seconds,
                e2e.percentileMillis(50), e2e.percentileMillis(99), e2e.maxMillis(),
                sent.post().percentileMillis(50), sent.post().percentileMillis(99),
                cpu.totalMillisPer(sent.events()), cpu.fields(sent.events()));
        System.out.flush();
        if (hops != null) {
            hops.print(name);
        }
    }

    /**
     * The floor under one event per POST: ingest answers 202 only after the broker acknowledged the event (acks=all),
     * so one client posting one event at a time cannot go faster than one producer sending one record at a time and
     * waiting for each acknowledgement, measured here against the same broker with ingest's producer settings.
     */
    private static void rawSequentialProduce(String bootstrapServers, int seconds, int eventBytes,
                                             Map<Integer, String> processes, long clockTicks) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        byte[] value = new byte[eventBytes];
        String topic = "bench.peer.raw-sequential";
        LatencyStats acked = new LatencyStats();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(); // creates the topic, fetches its metadata
            Map<String, Long> cpuBefore = ProcessStats.cpuTicks(processes);
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, value)).get();
                acked.recordNanos(System.nanoTime() - sent);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            ProcessStats.CpuUse cpu = ProcessStats.CpuUse.between(cpuBefore, ProcessStats.cpuTicks(processes),
                    clockTicks);
            System.out.printf(Locale.ROOT, "RAW phase=sequential records_per_s=%.0f ack_p50_ms=%.2f "
                            + "ack_p99_ms=%.2f cpu_ms_per_record=%.3f%s%n", acked.count() / elapsed,
                    acked.percentileMillis(50), acked.percentileMillis(99), cpu.totalMillisPer(acked.count()),
                    cpu.fields(acked.count()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("raw produce failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Open loop: {@code batch} events every batch/rate s, each POST on its own virtual thread. */
    private Sent paced(HttpClient http, int rate, int batch, int seconds, int endpoints) throws InterruptedException {
        LatencyStats post = new LatencyStats();
        AtomicLong errors = new AtomicLong();
        long posts = (long) rate * seconds / batch;
        long intervalNanos = 1_000_000_000L * batch / rate;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        AtomicLong sequence = new AtomicLong();
        for (long i = 0; i < posts; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            List<Event> events = events(sequence, batch, endpoints, due);
            threads.add(Thread.ofVirtual().start(() -> send(http, events, due, post, errors)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Sent(posts * batch, errors.get(), post, start);
    }

    /** Closed loop: {@code clients} clients, each sending its next POST when the last was answered (and it paused). */
    private Sent closedLoop(HttpClient http, int clients, int batch, int seconds, int endpoints, Duration pause)
            throws InterruptedException {
        LatencyStats post = new LatencyStats();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long due = System.nanoTime();
                    send(http, events(sequence, batch, endpoints, due), due, post, errors);
                    if (!pause.isZero()) {
                        LockSupport.parkNanos(pause.toNanos());
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Sent(sequence.get(), errors.get(), post, start);
    }

    private List<Event> events(AtomicLong sequence, int batch, int endpoints, long due) {
        List<Event> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            long n = sequence.getAndIncrement();
            Event event = new Event(UUID.randomUUID().toString(), n, (int) (n % endpoints));
            dueAt.put(target.key(event), due);
            if (hops != null) {
                hops.due(event.id(), target.key(event), due);
            }
            events.add(event);
        }
        return events;
    }

    private void send(HttpClient http, List<Event> events, long due, LatencyStats post, AtomicLong errors) {
        boolean ok = false;
        try {
            connections.acquire();
            try {
                HttpResponse<String> response = http.send(target.post(events), HttpResponse.BodyHandlers.ofString());
                post.recordNanos(System.nanoTime() - due);
                ok = response.statusCode() == target.acceptedStatus();
                if (!ok && errors.get() == 0) {
                    System.out.println("first refused POST: HTTP " + response.statusCode() + " " + response.body());
                }
            } finally {
                connections.release();
            }
        } catch (IOException | InterruptedException e) {
            // counted below
        }
        if (!ok) {
            errors.addAndGet(events.size());
            events.forEach(event -> dueAt.remove(target.key(event)));
        }
    }

    /** Waits until every accepted event arrived (true) or {@code timeout} passed (false). */
    private boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!dueAt.isEmpty()) {
            if (System.nanoTime() > deadline) {
                System.out.printf("%d events did not arrive within %s%n", dueAt.size(), timeout);
                dueAt.clear();
                return false;
            }
            Thread.sleep(20); // a bench polling its own counter, not a test
        }
        return true;
    }

    private void receive(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String key : target.keysIn(exchange, body)) {
            Long due = dueAt.remove(key);
            if (due != null) {
                latency.recordNanos(now - due);
                if (hops != null) {
                    hops.arrived(key, now);
                }
                arrived.incrementAndGet();
                lastArrival.accumulateAndGet(now, Math::max);
            }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    /** Prometheus Alertmanager's v2 API: one alert per event, label {@code id} names it, {@code shard} routes it. */
    record Alertmanager(String url, int eventBytes) implements Target {
        @Override
        public String name() {
            return "alertmanager";
        }

        @Override
        public HttpRequest post(List<Event> events) {
            StringBuilder body = new StringBuilder("[");
            for (Event event : events) {
                String head = "{\"labels\":{\"alertname\":\"report.completed\",\"id\":\"" + event.id()
                        + "\",\"shard\":\"" + event.shard() + "\"},\"annotations\":{\"summary\":\"Bench report "
                        + event.sequence() + " finished\",\"description\":\"Weekly ";
                String tail = "\"}}";
                body.append(body.length() == 1 ? "" : ",").append(head)
                        .append("x".repeat(Math.max(0, eventBytes - head.length() - tail.length()))).append(tail);
            }
            return HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build();
        }

        @Override
        public int acceptedStatus() {
            return 200;
        }

        @Override
        public String key(Event event) {
            return event.id();
        }

        @Override
        public List<String> keysIn(HttpExchange exchange, String body) {
            List<String> keys = new ArrayList<>();
            Matcher matcher = ALERT_ID.matcher(body);
            while (matcher.find()) {
                keys.add(matcher.group(1)); // the same id also appears in groupLabels/commonLabels: counted once
            }
            return keys;
        }
    }

    /** This project: POST /v1/events (one) or /v1/events:batch, one webhook integration with a rule per shard. */
    record Connectors(String ingestUrl, String integrationsUrl, String apiKey, String workspace, String integrationId,
                      List<String> destinations, int eventBytes) implements Target {

        static Connectors connect(HttpClient http, String ingestUrl, String integrationsUrl, String apiKey,
                String workspace, int receiverPort, int endpoints, int eventBytes)
                throws IOException, InterruptedException {
            EndToEndBench.deleteLeftovers(http, integrationsUrl, apiKey, workspace);
            List<String> destinations = new ArrayList<>();
            String id = EndToEndBench.createIntegration(http, integrationsUrl, apiKey, workspace,
                    "http://127.0.0.1:" + receiverPort, endpoints, destinations);
            return new Connectors(ingestUrl, integrationsUrl, apiKey, workspace, id, destinations, eventBytes);
        }

        void delete(HttpClient http) throws IOException, InterruptedException {
            http.send(HttpRequest.newBuilder(URI.create(integrationsUrl + "/v1/workspaces/" + workspace
                            + "/integrations/" + integrationId)).header("authorization", "Bearer " + apiKey)
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public String name() {
            return "connectors";
        }

        @Override
        public HttpRequest post(List<Event> events) {
            List<String> bodies = events.stream().map(event -> BenchEvents.reportCompleted(event.id(),
                    event.sequence(), workspace, Map.of("shard", String.valueOf(event.shard())), eventBytes)).toList();
            boolean one = bodies.size() == 1;
            String body = one ? bodies.getFirst() : "{\"events\":[" + String.join(",", bodies) + "]}";
            return HttpRequest.newBuilder(URI.create(ingestUrl + (one ? "/v1/events" : "/v1/events:batch")))
                    .header("content-type", "application/json").header("authorization", "Bearer " + apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        @Override
        public int acceptedStatus() {
            return 202;
        }

        @Override
        public String key(Event event) {
            return NotificationIds.of(event.id(), destinations.get(event.shard()));
        }

        @Override
        public List<String> keysIn(HttpExchange exchange, String body) {
            return List.of(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
        }
    }
}
