package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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

    @Test
    void anEventWithIdAndAttributesIsOneIngestAccepts() throws Exception {
        String json = BenchEvents.reportCompleted("6f1d3c1e-5b1a-4a57-9c43-7f0e0c1f2a3b", 7, "ws_bench",
                Map.of("shard", "3"), 1024);

        assertEquals(1024, json.getBytes(StandardCharsets.UTF_8).length);
        PlatformEvent event = EventJson.fromJson(Json.MAPPER.readTree(json));
        assertEquals("6f1d3c1e-5b1a-4a57-9c43-7f0e0c1f2a3b", event.getEventId());
        assertEquals(Map.of("shard", "3"), event.getAttributes());
    }
}
