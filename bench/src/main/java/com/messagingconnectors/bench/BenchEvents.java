package com.messagingconnectors.bench;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event JSON for POST /v1/events, padded to an exact size. A real type (report.completed) so the benchmark
 * exercises the same validation and Avro path as production traffic; the padding sits in the report name.
 */
public final class BenchEvents {

    private BenchEvents() {
    }

    /** A report.completed event of exactly {@code targetBytes} UTF-8 bytes (or the minimum size, if larger). */
    public static String reportCompleted(long sequence, String workspaceId, int targetBytes) {
        String prefix = "{\"id\":\"" + UUID.randomUUID()
                + "\",\"type\":\"report.completed\",\"workspaceId\":\"" + workspaceId
                + "\",\"summary\":\"Bench report " + sequence + " finished\",\"level\":\"info\""
                + ",\"payload\":{\"reportId\":\"r" + sequence + "\",\"reportName\":\"Weekly ";
        String suffix = "\"}}";
        int padding = targetBytes - prefix.getBytes(StandardCharsets.UTF_8).length - suffix.length();
        return prefix + "x".repeat(Math.max(0, padding)) + suffix;
    }
}
