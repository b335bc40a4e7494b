package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The digest stage's figures, against a running digest-service (bench/digest-run starts only the broker, the registry
 * and digest-service). Notifications with noise control are produced straight to notifications.digest, as the router
 * writes them; what the stage sends is read from notifications.&lt;channel&gt;.digested by a read_committed consumer
 * that also reads notifications.&lt;channel&gt; (as a sender reads both), assigned to every partition and positioned at
 * the end before any load. Each phase registers the event
 * ids it produces and counts how the output covers them: every id in exactly one message.
 * <ol>
 *   <li>latency: {@code --rate} events/s, each the first event of a new group (grouping, wait 0), so it passes at
 *       once: produce acknowledged → readable. Beside each, a notification produced straight to the sender topic for
 *       the same destination: the hop an ungrouped route takes there, alone first and then while the stage writes
 *       beside it (were both on one topic, a read_committed reader would not read past the stage's transaction still
 *       open in the partition).</li>
 *   <li>throughput: {@code --count} events over {@code --groups} groups (interval {@code --interval-ms}), prepared in
 *       advance and produced flat out; events/s from the first produce until digests covering every id are readable;
 *       duplicates; the stores' changelog growth and the CPU each process used per event.</li>
 *   <li>memory: {@code --open-groups} new groups of {@code --ids-per-group} events each, held (a long wait); the bytes
 *       each group's state takes as its stores write it (the latest value per key on the stores' changelog topics:
 *       the stores' own serdes), the changelogs' growth on disk, and digest-service's VmRSS growth.</li>
 * </ol>
 */
public final class DigestBench {
    private static final String WORKSPACE = "ws_bench_digest";
    /** Groups of the latency phase close a second after their one event, so the store does not grow with them. */
    private static final long LATENCY_GROUP_INTERVAL_MS = 1_000;
    /** Wait and interval of the memory phase's groups: longer than the run, so they stay open. */
    private static final long HOLD_MS = TimeUnit.MINUTES.toMillis(30);
    /** How long digest-service's CPU is watched while it holds the memory phase's groups and nothing comes in. */
    private static final long IDLE_MILLIS = 5_000;

    private final String bootstrap;
    private final String registry;
    private final String channel;
    /** Where the stage sends and where ungrouped notifications go: one reader reads both, as a sender does. */
    private final String output;
    private final String direct;
    private final int destinations;
    /** In every group key, so a phase's groups are new and its changelog keys recognisable. */
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<Notification> serializer = new AvroSerializer<>();
    private final AtomicReference<IdCoverage> current = new AtomicReference<>(new IdCoverage());
    private final AtomicLong produceErrors = new AtomicLong();
    private final List<String> summary = new ArrayList<>();
    private volatile boolean running = true;
    private Thread reader;

    private DigestBench(String bootstrap, String registry, String channel, int destinations) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.channel = channel;
        this.output = Topics.digested(channel);
        this.direct = Topics.notifications(channel);
        this.destinations = destinations;
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), false);
        producer = new KafkaProducer<>(RouterBench.producerProps(bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String mode = args.string("mode", "all");
        Map<Integer, String> processes = ProcessStats.parse(args.string("processes", ""));
        long clockTicks = args.integer("clock-ticks", 100);
        int commitIntervalMs = args.integer("commit-interval-ms", 100);
        String applicationId = args.string("application-id", "digest-service");
        DigestBench bench = new DigestBench(args.string("bootstrap-servers", "127.0.0.1:9092"),
                args.string("schema-registry", "http://127.0.0.1:8081"), args.string("channel", "webhook"),
                args.integer("destinations", 20));
        try (Admin admin = Admin.create(KafkaClients.properties(bench.bootstrap))) {
            bench.startReader();
            System.out.printf(Locale.ROOT, "digest stage: output read from %s with %s (read_committed, one "
                            + "consumer as in a sender), %d destinations, notification of %d bytes; digest-service "
                            + "commit.interval.ms %d, tick %s%n",
                    bench.output, bench.direct, bench.destinations, bench.sampleBytes(), commitIntervalMs,
                    args.string("tick", "1s"));
            if (mode.equals("all") || mode.equals("latency")) {
                bench.latency(args.integer("rate", 200), args.integer("warmup-seconds", 10),
                        args.integer("seconds", 20), commitIntervalMs, processes, clockTicks);
            }
            if (mode.equals("all") || mode.equals("throughput")) {
                bench.throughput(admin, applicationId, args.integer("count", 200_000), args.integer("groups", 100),
                        args.integer("interval-ms", 1_000), processes, clockTicks);
            }
            if (mode.equals("all") || mode.equals("memory")) {
                bench.memory(admin, applicationId, args.integer("open-groups", 20_000),
                        args.integer("ids-per-group", 10), processes, clockTicks);
            }
            System.out.println("summary:");
            bench.summary.forEach(line -> System.out.println("  " + line));
        } finally {
            bench.running = false;
            if (bench.reader != null) {
                bench.reader.join();
            }
            bench.producer.close();
        }
    }

    // --- latency

    private record Paced(long sent, IdCoverage coverage, LatencyStats grouped, LatencyStats direct) {
    }

    private void latency(int rate, int warmupSeconds, int seconds, int commitIntervalMs,
                         Map<Integer, String> processes, long clockTicks) throws InterruptedException {
        paced("warm-up", rate, warmupSeconds, true);
        Paced alone = paced("direct", rate, seconds, false);
        Map<String, Long> cpuBefore = ProcessStats.cpuTicks(processes);
        Paced both = paced("grouped", rate, seconds, true);
        // what the stage's commits cost at this rate: every grouped event is output at once
        ProcessStats.CpuUse cpu = ProcessStats.CpuUse.between(cpuBefore, ProcessStats.cpuTicks(processes),
                clockTicks);
        LatencyStats grouped = both.grouped();
        System.out.printf(Locale.ROOT, "RESULT phase=latency rate=%d seconds=%d sent=%d missing=%d duplicates=%d "
                        + "p50_ms=%.1f p99_ms=%.1f max_ms=%.1f direct_p50_ms=%.1f direct_p99_ms=%.1f "
                        + "direct_max_ms=%.1f direct_alone_p50_ms=%.1f direct_alone_p99_ms=%.1f "
                        + "direct_alone_max_ms=%.1f commit_interval_ms=%d cpu_ms_per_grouped_event=%.3f%s%n",
                rate, seconds, both.sent(), both.coverage().missing(), both.coverage().duplicates(),
                grouped.percentileMillis(50), grouped.percentileMillis(99), grouped.maxMillis(),
                both.direct().percentileMillis(50), both.direct().percentileMillis(99), both.direct().maxMillis(),
                alone.direct().percentileMillis(50), alone.direct().percentileMillis(99), alone.direct().maxMillis(),
                commitIntervalMs, cpu.totalMillisPer(both.sent()), cpu.fields(both.sent()));
        summary.add(String.format(Locale.ROOT, "a grouped route's first event, %d/s for %d s: produce acked → "
                        + "readable on %s %s (commit.interval.ms %d)", rate, seconds, output, grouped.summary(),
                commitIntervalMs));
        summary.add(String.format(Locale.ROOT, "the same hop without the stage (straight to %s): alone %s; while the "
                + "stage writes to %s %s", direct, alone.direct().summary(), output, both.direct().summary()));
        summary.add(String.format(Locale.ROOT, "meanwhile CPU-ms per grouped event: digest-service %.3f, broker %.3f",
                cpu.millisPer("digest-service", both.sent()), cpu.millisPer("kafka", both.sent())));
    }

    /**
     * {@code rate} notifications/s for {@code seconds} straight to the sender topic and, when {@code grouped}, as
     * many first events of new groups to the stage, each pair for the same destination; waits until all are read.
     */
    private Paced paced(String phase, int rate, int seconds, boolean grouped) throws InterruptedException {
        IdCoverage coverage = new IdCoverage();
        current.set(coverage);
        LatencyStats groupedLatency = new LatencyStats();
        LatencyStats directLatency = new LatencyStats();
        long total = (long) rate * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s: %d/s for %d s%s%n", phase, rate, seconds,
                grouped ? ", each a new group's first event plus the same straight to " + direct
                        : ", straight to " + direct + " only");
        for (long i = 0; i < total; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load generator
            }
            int destination = (int) (i % destinations);
            send(coverage, directLatency, direct, notification(destination, null));
            if (grouped) {
                send(coverage, groupedLatency, Topics.DIGEST_INPUT, notification(destination,
                        group(phase + "-" + i, 0, LATENCY_GROUP_INTERVAL_MS)));
            }
        }
        producer.flush();
        if (!awaitCovered(coverage, Duration.ofSeconds(60))) {
            System.out.printf("%s: %d of %d ids never arrived%n", phase, coverage.missing(), coverage.expected());
        }
        return new Paced(total, coverage, groupedLatency, directLatency);
    }

    // --- throughput

    private void throughput(Admin admin, String applicationId, int count, int groups, int intervalMs,
                            Map<Integer, String> processes, long clockTicks) throws Exception {
        IdCoverage coverage = new IdCoverage();
        current.set(coverage);
        List<NoiseControl> controls = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            controls.add(group("throughput-" + g, 0, intervalMs));
        }
        // serialized before the clock starts: the load generator shares the machine's cores with the stage
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int g = i % groups;
            Notification n = notification(g % destinations, controls.get(g));
            coverage.expect(n.getEvent().getEventId(), null);
            records.add(new ProducerRecord<>(Topics.DIGEST_INPUT, n.getDestination().getDestinationId(),
                    serializer.serialize(Topics.DIGEST_INPUT, n)));
        }
        System.out.printf(Locale.ROOT, "throughput: %d events over %d groups (interval %d ms), flat out%n", count,
                groups, intervalMs);
        long errorsBefore = produceErrors.get();
        long logBefore = changelogBytes(admin, applicationId);
        Map<String, Long> cpuBefore = ProcessStats.cpuTicks(processes);
        long start = System.nanoTime();
        records.forEach(this::send);
        producer.flush();
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = awaitCovered(coverage, Duration.ofMinutes(5));
        ProcessStats.CpuUse cpu = ProcessStats.CpuUse.between(cpuBefore, ProcessStats.cpuTicks(processes),
                clockTicks);
        double seconds = (coverage.lastCoveredNanos() - start) / 1e9;
        long logGrowth = changelogBytes(admin, applicationId) - logBefore;
        // a repeat would come in a later message: give the groups one more interval and tick to send one
        Thread.sleep(intervalMs + 2_000L);
        System.out.printf(Locale.ROOT, "RESULT phase=throughput events=%d groups=%d interval_ms=%d all=%s "
                        + "covered=%d missing=%d duplicates=%d messages=%d produce_errors=%d seconds=%.1f "
                        + "events_per_s=%.0f produce_seconds=%.1f changelog_bytes_per_event=%d "
                        + "cpu_ms_per_event=%.3f%s%n",
                count, groups, intervalMs, all, coverage.covered(), coverage.missing(), coverage.duplicates(),
                coverage.messages(), produceErrors.get() - errorsBefore, seconds, coverage.covered() / seconds,
                produceSeconds, logGrowth / count, cpu.totalMillisPer(count), cpu.fields(count));
        summary.add(String.format(Locale.ROOT, "throughput: %d events over %d groups covered in %.1f s = %.0f "
                        + "events/s in %d messages (produced in %.1f s); missing %d, duplicates %d; CPU-ms per event: "
                        + "digest-service %.3f, broker %.3f; the stores' changelogs grew %d bytes per event",
                count, groups, seconds, coverage.covered() / seconds, coverage.messages(), produceSeconds,
                coverage.missing(), coverage.duplicates(), cpu.millisPer("digest-service", count),
                cpu.millisPer("kafka", count), logGrowth / count));
    }

    // --- memory

    private record StoreSize(long groups, long keyBytes, long valueBytes) {
    }

    private void memory(Admin admin, String applicationId, int openGroups, int idsPerGroup,
                        Map<Integer, String> processes, long clockTicks) throws Exception {
        IdCoverage coverage = new IdCoverage();
        current.set(coverage);
        String keyPart = groupKey("memory-");
        long logBefore = changelogBytes(admin, applicationId);
        long rssBefore = ProcessStats.rssKib(processes, "digest-service");
        double idleBefore = idleCpuPercent(processes, clockTicks);
        System.out.printf(Locale.ROOT, "memory: %d groups of %d events each, held (wait %d min)%n", openGroups,
                idsPerGroup, TimeUnit.MILLISECONDS.toMinutes(HOLD_MS));
        for (int g = 0; g < openGroups; g++) {
            NoiseControl control = group("memory-" + g, HOLD_MS, HOLD_MS);
            for (int i = 0; i < idsPerGroup; i++) {
                Notification n = notification(g % destinations, control);
                coverage.expect(n.getEvent().getEventId(), null);
                send(new ProducerRecord<>(Topics.DIGEST_INPUT, n.getDestination().getDestinationId(),
                        serializer.serialize(Topics.DIGEST_INPUT, n)));
            }
        }
        producer.flush();
        // under exactly-once the input offsets commit with the store's changelog writes: then all is in the store
        awaitConsumed(admin, applicationId, Topics.DIGEST_INPUT, Duration.ofMinutes(5));
        long rssAfter = ProcessStats.rssKib(processes, "digest-service");
        // held groups are not free: every tick reads each of them from the store to see whether it is due
        double idleAfter = idleCpuPercent(processes, clockTicks);
        long logGrowth = changelogBytes(admin, applicationId) - logBefore;
        StoreSize store = storeSize(applicationId, keyPart);
        long perGroup = store.groups() == 0 ? 0 : (store.keyBytes() + store.valueBytes()) / store.groups();
        System.out.printf(Locale.ROOT, "RESULT phase=memory open_groups=%d ids_per_group=%d groups_in_store=%d "
                        + "state_bytes_per_group=%d value_bytes_per_group=%d changelog_growth_bytes_per_group=%d "
                        + "changelog_growth_bytes_per_event=%d "
                        + "rss_before_mib=%.1f rss_after_mib=%.1f rss_growth_bytes_per_group=%d "
                        + "idle_cpu_percent_before=%.1f idle_cpu_percent=%.1f sent_out=%d%n",
                openGroups, idsPerGroup, store.groups(), perGroup,
                store.groups() == 0 ? 0 : store.valueBytes() / store.groups(), logGrowth / openGroups,
                logGrowth / ((long) openGroups * idsPerGroup), rssBefore / 1024.0, rssAfter / 1024.0, (rssAfter - rssBefore) * 1024 / openGroups, idleBefore,
                idleAfter, coverage.covered());
        summary.add(String.format(Locale.ROOT, "memory: %d open groups of %d events: %d bytes of state per group "
                        + "(keys + values as the stores write them; %d of %d groups found), changelogs on disk +%d "
                        + "bytes per group, digest-service RSS %.0f → %.0f MiB = %d bytes per group (noisy); "
                        + "holding them, digest-service idles at %.1f %% of a core (%.1f %% before)",
                openGroups, idsPerGroup, perGroup, store.groups(), openGroups, logGrowth / openGroups,
                rssBefore / 1024.0, rssAfter / 1024.0, (rssAfter - rssBefore) * 1024 / openGroups, idleAfter,
                idleBefore));
    }

    /** digest-service's CPU over {@link #IDLE_MILLIS} with nothing coming in, in % of one core. */
    private static double idleCpuPercent(Map<Integer, String> processes, long clockTicks)
            throws InterruptedException {
        Map<String, Long> before = ProcessStats.cpuTicks(processes);
        Thread.sleep(IDLE_MILLIS);
        return ProcessStats.CpuUse.between(before, ProcessStats.cpuTicks(processes), clockTicks)
                .millisPer("digest-service", 1) * 100 / IDLE_MILLIS;
    }

    /** Kafka Streams names a store's changelog {@code <application id>-<store>-changelog}. */
    private static boolean isChangelog(String applicationId, String topic) {
        return topic.startsWith(applicationId + "-") && topic.endsWith("-changelog");
    }

    /** Bytes on the brokers' disks of every partition of the stage's changelog topics (0 while there are none). */
    private static long changelogBytes(Admin admin, String applicationId) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    if (isChangelog(applicationId, replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /**
     * The latest value of every key containing {@code keyPart} on the stage's changelogs: what its stores hold for
     * those groups; a group counts once, by its {@code digest-groups} entry.
     */
    private StoreSize storeSize(String applicationId, String keyPart) {
        String groupsChangelog = applicationId + "-digest-groups-changelog";
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Integer> latest = new HashMap<>();
        Map<String, Integer> keyBytes = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics().keySet().stream()
                    .filter(topic -> isChangelog(applicationId, topic))
                    .flatMap(topic -> partitions(consumer, topic).stream()).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().contains(keyPart)) {
                        String where = record.topic() + "/" + record.key();
                        if (record.value() == null) {
                            latest.remove(where);
                        } else {
                            latest.put(where, record.value().length);
                            keyBytes.put(where, record.key().getBytes(StandardCharsets.UTF_8).length);
                        }
                    }
                }
            }
        }
        long groups = latest.keySet().stream().filter(where -> where.startsWith(groupsChangelog + "/")).count();
        long keys = latest.keySet().stream().mapToLong(keyBytes::get).sum();
        long valueBytes = latest.values().stream().mapToLong(Integer::longValue).sum();
        return new StoreSize(groups, keys, valueBytes);
    }

    /** Until {@code group} has committed every offset of {@code topic} that exists now. */
    private static void awaitConsumed(Admin admin, String group, String topic, Duration timeout) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            if (end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            Thread.sleep(200); // a bench polling the broker, not a test
        }
        System.out.printf("%s had not consumed all of %s after %s%n", group, topic, timeout);
    }

    // --- shared

    private String groupKey(String name) {
        return "bench-" + runId + "-" + name;
    }

    private NoiseControl group(String name, long waitMillis, long intervalMillis) {
        return new NoiseControl(groupKey(name), "report.completed, " + name, waitMillis, intervalMillis, false, 0);
    }

    private Notification notification(int destination, NoiseControl control) {
        String eventId = UUID.randomUUID().toString();
        Notification n = BenchEvents.notification(eventId, channel, "int_bench_digest/e" + destination, WORKSPACE,
                "Bench report " + eventId.substring(0, 8) + " finished", "{\"destination\":" + destination + "}");
        n.setNoiseControl(control);
        return n;
    }

    private int sampleBytes() {
        return serializer.serialize(Topics.DIGEST_INPUT, notification(0, group("sample", 0, 1_000))).length;
    }

    /** Produces {@code n} to {@code topic}, expected in {@code coverage} with its ack → read time in {@code latency}. */
    private void send(IdCoverage coverage, LatencyStats latency, String topic, Notification n) {
        String id = n.getEvent().getEventId();
        coverage.expect(id, latency);
        producer.send(new ProducerRecord<>(topic, n.getDestination().getDestinationId(),
                serializer.serialize(topic, n)), (metadata, e) -> {
                    if (e != null) {
                        produceErrors.incrementAndGet();
                    } else {
                        coverage.acked(id, System.nanoTime());
                    }
                });
    }

    private void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                produceErrors.incrementAndGet();
            }
        });
    }

    /** Waits until every id of {@code coverage} was read (true), or {@code timeout} passed (false). */
    private static boolean awaitCovered(IdCoverage coverage, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!coverage.complete()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20); // a bench polling its own counter, not a test
        }
        return true;
    }

    /** The reader of the sender topics: assigned every partition of both, at their end before this returns. */
    private void startReader() throws InterruptedException {
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        CountDownLatch positioned = new CountDownLatch(1);
        AvroDeserializer<Notification> avro = new AvroDeserializer<>();
        avro.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), false);
        reader = Thread.ofPlatform().name("digest-bench-reader").start(() -> {
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), avro)) {
                List<TopicPartition> partitions = new ArrayList<>(partitions(consumer, output));
                partitions.addAll(partitions(consumer, direct));
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // the seek is lazy: resolve it before any load
                positioned.countDown();
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    IdCoverage coverage = current.get();
                    records.forEach(r -> coverage.read(NotificationIds.eventIdsCovered(r.value()), now));
                }
            }
        });
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the reader of " + output + " and " + direct + " could not start");
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
