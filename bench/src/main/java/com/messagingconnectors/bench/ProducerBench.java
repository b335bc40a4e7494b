package com.messagingconnectors.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.messagingconnectors.schemas.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Runs Kafka's own ProducerPerformance against the broker: the ceiling any producer on this machine can reach.
 * A short calibration run (which also warms the broker up) decides how many records make the measured run last
 * about {@code --target-seconds}; the bench topic is created fresh and deleted afterwards.
 * Prints "RESULT key=value" lines for bench/run.
 */
public final class ProducerBench {

    private static final int CALIBRATION_RECORDS = 50_000;
    private static final long MIN_RECORDS = 100_000;
    private static final long MAX_RECORDS = 10_000_000;

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String bootstrap = args.string("bootstrap-servers", "127.0.0.1:9092");
        int recordSize = args.integer("record-size", 1024);
        int targetSeconds = args.integer("target-seconds", 18);
        int partitions = args.integer("partitions", 6);
        String topic = args.string("topic", "bench.producer-perf-" + System.currentTimeMillis());

        try (Admin admin = Admin.create(KafkaClients.properties(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            System.out.printf("created topic %s (%d partitions)%n", topic, partitions);
            try {
                ProducerPerformanceResult calibration = run(bootstrap, topic, CALIBRATION_RECORDS, recordSize);
                long records = Math.clamp((long) (calibration.recordsPerSec() * targetSeconds), MIN_RECORDS, MAX_RECORDS);
                System.out.printf(Locale.ROOT, "calibration: %.0f records/s -> measured run of %d records%n",
                        calibration.recordsPerSec(), records);
                ProducerPerformanceResult result = run(bootstrap, topic, records, recordSize);
                printResult(result, recordSize, partitions);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                System.out.printf("deleted topic %s%n", topic);
            }
        }
    }

    /** {@code key=value} arguments for ProducerPerformance: bootstrap and security settings, acks=all. */
    private static List<String> producerProps(String bootstrap) {
        Map<String, Object> config = KafkaClients.config(bootstrap);
        config.put("acks", "all");
        return config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** Runs the tool in this JVM (its main does not exit) while copying what it prints, then parses the summary. */
    private static ProducerPerformanceResult run(String bootstrap, String topic, long records, int recordSize)
            throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            List<String> arguments = new ArrayList<>(List.of(
                    "--topic", topic,
                    "--num-records", Long.toString(records),
                    "--record-size", Integer.toString(recordSize),
                    "--throughput", "-1",
                    "--producer-props"));
            arguments.addAll(producerProps(bootstrap));
            ProducerPerformance.main(arguments.toArray(String[]::new));
        } finally {
            System.out.flush();
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        return ProducerPerformanceResult.parse(lines).orElseThrow(
                () -> new IllegalStateException("ProducerPerformance printed no summary line"));
    }

    private static void printResult(ProducerPerformanceResult r, int recordSize, int partitions) {
        System.out.printf(Locale.ROOT, "RESULT kafka.records=%d%n", r.records());
        System.out.printf(Locale.ROOT, "RESULT kafka.record_bytes=%d%n", recordSize);
        System.out.printf(Locale.ROOT, "RESULT kafka.partitions=%d%n", partitions);
        System.out.printf(Locale.ROOT, "RESULT kafka.records_per_sec=%.1f%n", r.recordsPerSec());
        System.out.printf(Locale.ROOT, "RESULT kafka.mb_per_sec=%.2f%n", r.mbPerSec());
        System.out.printf(Locale.ROOT, "RESULT kafka.latency_avg_ms=%.1f%n", r.avgLatencyMs());
        System.out.printf(Locale.ROOT, "RESULT kafka.latency_p50_ms=%d%n", r.p50Ms());
        System.out.printf(Locale.ROOT, "RESULT kafka.latency_p99_ms=%d%n", r.p99Ms());
        System.out.printf(Locale.ROOT, "RESULT kafka.latency_max_ms=%.1f%n", r.maxLatencyMs());
    }

    /** Writes everything to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
