package com.messagingconnectors.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time and resident memory of the stack's processes, read from /proc. The scripts pass the processes as
 * {@code name:pid,name:pid} (names from scripts/stack-usage.sh's process_name), so a phase can be measured on its own.
 */
final class ProcessStats {
    private ProcessStats() {
    }

    /** "name:pid,name:pid" → the name of each pid (several pids may share a name: their CPU is summed). */
    static Map<Integer, String> parse(String spec) {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                int colon = entry.lastIndexOf(':');
                names.put(Integer.parseInt(entry.substring(colon + 1)), entry.substring(0, colon));
            }
        }
        return names;
    }

    /** utime + stime of each process, in clock ticks, summed per name. */
    static Map<String, Long> cpuTicks(Map<Integer, String> processes) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        processes.forEach((pid, name) -> {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
                ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            } catch (IOException e) {
                // the process ended: its share is not counted
            }
        });
        return ticks;
    }

    /** VmRSS of the processes called {@code name}, in KiB (0 when none runs). */
    static long rssKib(Map<Integer, String> processes, String name) {
        long kib = 0;
        for (Map.Entry<Integer, String> process : processes.entrySet()) {
            if (!process.getValue().equals(name)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.getKey()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }
        return kib;
    }

    /** The CPU each named process used between two {@link #cpuTicks} snapshots. */
    record CpuUse(Map<String, Long> ticks, long clockTicks) {
        static CpuUse between(Map<String, Long> before, Map<String, Long> after, long clockTicks) {
            Map<String, Long> used = new LinkedHashMap<>();
            after.forEach((name, ticks) -> used.put(name, ticks - before.getOrDefault(name, ticks)));
            return new CpuUse(used, clockTicks);
        }

        double millisPer(String name, long units) {
            return perUnit(ticks.getOrDefault(name, 0L), units);
        }

        double totalMillisPer(long units) {
            return perUnit(ticks.values().stream().mapToLong(Long::longValue).sum(), units);
        }

        /** " cpu.kafka=0.123 cpu.digest-service=0.456": CPU-ms per unit of each process, for a RESULT line. */
        String fields(long units) {
            StringBuilder out = new StringBuilder();
            ticks.forEach((name, used) -> out.append(String.format(Locale.ROOT, " cpu.%s=%.3f", name,
                    perUnit(used, units))));
            return out.toString();
        }

        private double perUnit(long used, long units) {
            return units == 0 ? 0 : used * 1000.0 / clockTicks / units;
        }
    }
}
