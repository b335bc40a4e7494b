package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.integration.ApiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.TimeZone;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every time the console shows is labelled UTC and is UTC, whatever zone the server's JVM runs in: here the JVM's
 * default zone is +05:30 while the pages are rendered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleTimesTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    private static TimeZone jvmZone;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
    }

    @BeforeAll
    static void serverInAnotherZone() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterAll
    static void zoneBack() {
        TimeZone.setDefault(jvmZone);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void theIntegrationsListAndTheApiKeysPageShowUtc() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        String ws = ApiTestClient.workspace();
        var created = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Times","channels":[{"id":"C1","name":"#alerts"}],"defaultChannelId":"C1",
                 "notificationTypes":{"sync.failed":true}}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString("");
        var key = api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY, """
                {"name":"admin","scopes":["integrations:read","integrations:write","keys:manage"]}""", null);
        String session = api.consoleLogin(JSON.readTree(key.body()).get("key").asString(""));

        ApiTestClient.reportStatus(new StatusReport(ws, id, "C1", StatusReport.DELIVERED, null, null,
                Instant.parse("2026-11-28T22:00:00Z"), null));
        // in +05:30 that instant is 2026-11-29 03:30:00
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.browserGet("/console", session).body()).contains("2026-11-28 22:00:00 UTC"));

        Instant keyCreated = Instant.parse(JSON.readTree(key.body()).get("createdAt").asString(""));
        String shown = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(keyCreated);
        assertThat(api.browserGet("/console/api-keys", session).body()).contains(shown + " UTC");
    }
}
