package com.messagingconnectors.bench;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final summary line Kafka's ProducerPerformance prints, e.g.
 * {@code 500000 records sent, 61050.1 records/sec (59.62 MB/sec), 480.22 ms avg latency, 912.00 ms max latency,
 * 470 ms 50th, 800 ms 95th, 880 ms 99th, 905 ms 99.9th.}
 */
public record ProducerPerformanceResult(long records, double recordsPerSec, double mbPerSec, double avgLatencyMs,
        double maxLatencyMs, long p50Ms, long p95Ms, long p99Ms, long p999Ms) {

    // Only the final line has the percentiles; the 5-second progress lines stop at "max latency."
    private static final Pattern FINAL_LINE = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, "
                    + "([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th\\.");

    /** The last final-summary line in the tool's output, if it printed one. */
    public static Optional<ProducerPerformanceResult> parse(List<String> outputLines) {
        ProducerPerformanceResult found = null;
        for (String line : outputLines) {
            Matcher m = FINAL_LINE.matcher(line.trim());
            if (m.matches()) {
                found = new ProducerPerformanceResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                        Long.parseLong(m.group(9)));
            }
        }
        return Optional.ofNullable(found);
    }
}
