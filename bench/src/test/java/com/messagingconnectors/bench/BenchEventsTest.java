package com.messagingconnectors.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BenchEventsTest {

    @Test
    void eventIsExactlyTheRequestedSizeAndAReportCompleted() {
        String json = BenchEvents.reportCompleted(123_456, "ws_demo", 1024);

        assertEquals(1024, json.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(json.contains("\"type\":\"report.completed\""), json);
        assertTrue(json.contains("\"workspaceId\":\"ws_demo\""), json);
        assertTrue(json.contains("\"reportId\":\"r123456\""), json);
        assertTrue(json.endsWith("xxx\"}}"), json);
    }
}
