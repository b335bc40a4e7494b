package com.messagingconnectors.integration;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.testsupport.ChunkedUpload;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The control-plane API against a real broker: connectors.config is the only store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrationApiTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(1, "connectors.config", "connectors.status", "platform.events");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.secrets.keys", () -> "test:" + Base64.getEncoder().encodeToString(new byte[32]));
        registry.add("connectors.security.admin-api-key", () -> ADMIN_KEY);
        // without a signing secret /slack/events answers 503 before reading a body; with one, the body limit answers
        registry.add("connectors.slack.signing-secret", () -> "test-slack-signing-secret");
        registry.add("server.address", () -> "127.0.0.1");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void webhookIntegrationShowsItsSigningSecretOnceAndStoresItEncrypted() throws Exception {
        String ws = workspace();
        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"On-call","channels":[{"id":"oncall","url":"https://oncall.example.com/hook",
                 "description":"pager","headers":{"X-Team":"sre"}}]}""", null);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String secret = body.at("/channels/0/signingSecret").asString("");
        assertThat(secret).startsWith("whsec_");
        assertThat(created.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(body.at("/notificationTypes/alert.triggered").asBoolean(false)).isTrue();
        assertThat(body.at("/notificationTypes/report.completed").asBoolean(false)).isFalse();

        var fetched = call("GET", "/v1/workspaces/" + ws + "/integrations/" + body.get("id").asString(""), ADMIN_KEY, null, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).doesNotContain(secret).doesNotContain("signingSecret\":\"");
        assertThat(JSON.readTree(fetched.body()).at("/channels/0/signingSecrets").asInt(0)).isEqualTo(1);

        String stored = readConfigTopic();
        assertThat(stored).contains(body.get("id").asString("")).doesNotContain(secret)
                .doesNotContain(secret.substring("whsec_".length()));
    }

    @Test
    void concurrentEditsAreCaughtWithIfMatch() throws Exception {
        String ws = workspace();
        String id = createSlack(ws);
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        String first = call("POST", path + ":disable", ADMIN_KEY, null, "\"1\"").headers().firstValue("ETag").orElseThrow();
        assertThat(first).isEqualTo("\"2\"");
        var stale = call("POST", path + ":enable", ADMIN_KEY, null, "\"1\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(stale.body()).get("detail").asString("")).contains("changed by someone else");
        // the GET right after the write shows it (read-your-writes)
        assertThat(JSON.readTree(call("GET", path, ADMIN_KEY, null, null).body()).get("enabled").asBoolean(false)).isFalse();
    }

    @Test
    void invalidInputNamesEveryBadField() throws Exception {
        String ws = workspace();
        createSlack(ws);
        var bad = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}],
                 "defaultChannelId":"C404",
                 "rules":[{"match":{"types":["report*"],"levels":["critical"],
                           "attributes":[{"key":"env","regex":"(unclosed"}]},"channelId":"C9"}]}""", null);
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(bad.body());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString("")));
        assertThat(fields).containsExactlyInAnyOrder("name", "defaultChannelId", "rules[0].channelId",
                "rules[0].match.types[0]", "rules[0].match.levels[0]", "rules[0].match.attributes[0].regex");

        var http = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Plain","channels":[{"url":"http://hooks.example.com/x"}]}""", null);
        assertThat(http.statusCode()).isEqualTo(422);
        assertThat(http.body()).contains("channels[0].url").contains("must use https");

        // SSRF at registration: internal addresses are refused, by literal or by a name that resolves to one
        for (String internal : List.of("https://169.254.169.254/latest/meta-data", "https://localhost/hook",
                "https://10.0.0.7/hook", "https://[::1]/hook", "https://168.63.129.16/machine",
                "https://[::ffff:127.0.0.1]/hook", "https://[64:ff9b::a9fe:a9fe]/latest", "https://[2001::1]/hook")) {
            var refused = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY,
                    "{\"kind\":\"webhook\",\"name\":\"Internal\",\"channels\":[{\"url\":\"" + internal + "\"}]}", null);
            assertThat(refused.statusCode()).as(internal).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).as(internal).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode error = JSON.readTree(refused.body()).at("/errors/0");
            assertThat(error.get("field").asString("")).as(internal).isEqualTo("channels[0].url");
            assertThat(error.get("problem").asString("")).as(internal)
                    .isEqualTo("its host resolves to a non-public address; only public addresses can be called (an"
                            + " operator can allow internal ranges)");
        }
        // a name: the answer does not tell what it resolves to
        var byName = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Internal","channels":[{"url":"https://localhost/hook"}]}""", null);
        assertThat(byName.body()).contains("non-public address").doesNotContain("127.0.0.1").doesNotContain("::1")
                .doesNotContain("0:0:0:0:0:0:0:1").doesNotContain("loopback");
        // ports other than 80 and 443, whatever the host
        for (String port : List.of("https://hooks.example.com:8443/x", "https://203.0.113.0:22/x",
                "https://localhost:6379/")) {
            var refused = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY,
                    "{\"kind\":\"webhook\",\"name\":\"Port\",\"channels\":[{\"url\":\"" + port + "\"}]}", null);
            assertThat(refused.statusCode()).as(port).isEqualTo(422);
            assertThat(refused.body()).as(port).contains("channels[0].url", "only ports 80 and 443 can be called");
        }
    }

    @Test
    void previewExplainsTheProductExamples() throws Exception {
        String ws = workspace();
        var slack = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Slack",
                 "notificationTypes":{"report.completed":true,"user.deactivated":true,"user.invited":true},
                 "channels":[{"id":"C_general","name":"#general"},{"id":"C_analytics","name":"#analytics-team"},
                             {"id":"C_security","name":"#security"}],
                 "defaultChannelId":"C_general",
                 "rules":[{"id":"reports","match":{"types":["report.completed"]},"channelId":"C_analytics"},
                          {"id":"security","match":{"types":["user.deactivated"]},"channelId":"C_security"}]}""",
                null).body());
        call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"On-call","notificationTypes":{"alert.triggered":true,"report.completed":true},
                 "channels":[{"id":"pager","url":"https://pager.example.com/hook"}],
                 "rules":[{"id":"alerts","match":{"types":["*"],"levels":["alert"]},"channelId":"pager"}]}""", null);

        JsonNode report = preview(ws, "report.completed", "info");
        assertThat(report.at("/destinations/0/channelName").asString("")).isEqualTo("#analytics-team");
        assertThat(report.at("/destinations/0/ruleId").asString("")).isEqualTo("reports");
        assertThat(report.get("destinations")).hasSize(1);
        assertThat(report.at("/notRouted/0/reason").asString("")).isEqualTo("no_rule_matched");

        assertThat(preview(ws, "user.deactivated", "warning").at("/destinations/0/channelName").asString(""))
                .isEqualTo("#security");
        JsonNode invited = preview(ws, "user.invited", "info");
        assertThat(invited.at("/destinations/0/channelName").asString("")).isEqualTo("#general");
        assertThat(invited.at("/destinations/0/why").asString("")).contains("default channel");
        assertThat(invited.at("/notRouted/0/reason").asString("")).isEqualTo("type_switched_off");

        JsonNode alert = preview(ws, "alert.triggered", "alert");
        assertThat(alert.at("/destinations/0/destinationId").asString("")).endsWith("/pager");

        call("POST", "/v1/workspaces/" + ws + "/integrations/" + slack.get("id").asString("") + ":disable", ADMIN_KEY, null,
                null);
        assertThat(preview(ws, "report.completed", "info").at("/notRouted").toString())
                .contains("integration_disabled");
    }

    @Test
    void workspaceKeysOnlyReachTheirOwnWorkspace() throws Exception {
        String a = workspace();
        String b = workspace();
        String bIntegration = createSlack(b);
        String keyA = JSON.readTree(call("POST", "/v1/workspaces/" + a + "/api-keys", ADMIN_KEY, """
                {"name":"ci","scopes":["integrations:read","integrations:write","keys:manage"]}""", null)
                .body()).get("key").asString("");
        assertThat(keyA).startsWith("mck_");

        assertThat(call("GET", "/v1/workspaces/" + a + "/integrations", keyA, null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/v1/workspaces/" + b + "/integrations", keyA, null, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/workspaces/" + b + "/integrations/" + bIntegration, keyA, null, null).statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "/v1/workspaces/" + b + "/integrations/" + bIntegration + ":disable", keyA, null, null)
                .statusCode()).isEqualTo(403);
        assertThat(call("POST", "/v1/workspaces/" + b + "/routing:preview", keyA,
                "{\"type\":\"report.completed\",\"summary\":\"x\",\"payload\":{\"reportId\":\"r\",\"reportName\":\"n\"}}",
                null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/v1/workspaces/" + a + "/integrations", null, null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/workspaces/" + a + "/integrations", "mck_made_up", null, null).statusCode())
                .isEqualTo(401);

        // the list shows a prefix, never the key; revoking takes effect at once
        var list = call("GET", "/v1/workspaces/" + a + "/api-keys", keyA, null, null).body();
        assertThat(list).doesNotContain(keyA).contains(keyA.substring(0, 10));
        String keyId = JSON.readTree(list).at("/apiKeys/0/id").asString("");
        assertThat(call("DELETE", "/v1/workspaces/" + a + "/api-keys/" + keyId, ADMIN_KEY, null, null).statusCode())
                .isEqualTo(204);
        assertThat(call("GET", "/v1/workspaces/" + a + "/integrations", keyA, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyDoesOnlyWhatItsScopesAllow() throws Exception {
        String ws = workspace();
        String integration = createSlack(ws);
        String path = "/v1/workspaces/" + ws + "/integrations/" + integration;
        // no scopes named: the narrowest, events:write — the key a platform service that only ingests gets
        var ingestOnly = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"reports-service\"}", null).body());
        assertThat(ingestOnly.get("scopes")).hasSize(1).first().extracting(JsonNode::asText).isEqualTo("events:write");
        String ingestKey = ingestOnly.get("key").asString("");
        String before = readConfigTopic();
        var mint = call("POST", "/v1/workspaces/" + ws + "/api-keys", ingestKey, "{\"name\":\"escalate\"}", null);
        assertThat(mint.statusCode()).isEqualTo(403);
        assertThat(mint.body()).contains("keys:manage");
        assertThat(call("PUT", path, ingestKey, "{\"name\":\"x\"}", null).statusCode()).isEqualTo(403);
        assertThat(call("GET", path, ingestKey, null, null).statusCode()).isEqualTo(403);
        assertThat(readConfigTopic()).isEqualTo(before);

        String reader = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"dashboard\",\"scopes\":[\"integrations:read\"]}", null).body()).get("key").asString("");
        assertThat(call("GET", path, reader, null, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", path + ":disable", reader, null, null).statusCode()).isEqualTo(403);

        // a key manager cannot hand out rights it does not hold itself
        String keyManager = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"keys\",\"scopes\":[\"keys:manage\",\"events:write\"]}", null).body()).get("key").asString("");
        var escalation = call("POST", "/v1/workspaces/" + ws + "/api-keys", keyManager,
                "{\"name\":\"more\",\"scopes\":[\"integrations:write\"]}", null);
        assertThat(escalation.statusCode()).isEqualTo(403);
        assertThat(escalation.body()).contains("integrations:write");
        assertThat(call("POST", "/v1/workspaces/" + ws + "/api-keys", keyManager,
                "{\"name\":\"svc\",\"scopes\":[\"events:write\"]}", null).statusCode()).isEqualTo(201);
        var unknown = call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"x\",\"scopes\":[\"admin\"]}", null);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("scopes[0]");
    }

    @Test
    void senderReportsOnConnectorsStatusShowInTheIntegrationStatus() throws Exception {
        String ws = workspace();
        String id = createSlack(ws);
        Properties props = TestInfrastructure.producerProperties();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            Instant at = Instant.parse("2026-11-28T10:00:00Z");
            producer.send(new ProducerRecord<>("connectors.status", id, ConfigCodec.encode(new StatusReport(ws, id, null,
                    StatusReport.DELIVERED, null, null, at)))).get();
            producer.send(new ProducerRecord<>("connectors.status", id, ConfigCodec.encode(new StatusReport(ws, id, null,
                    StatusReport.UNHEALTHY, "token_revoked", "the Slack token was revoked: reconnect Slack",
                    at.plusSeconds(60))))).get();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + id, ADMIN_KEY, null,
                    null).body()).get("status");
            assertThat(status.get("state").asString("")).isEqualTo("unhealthy");
            assertThat(status.get("lastError").asString("")).contains("token was revoked");
            assertThat(status.get("lastErrorAt").asString("")).isEqualTo("2026-11-28T10:01:00Z");
            assertThat(status.get("lastDeliveredAt").asString("")).isEqualTo("2026-11-28T10:00:00Z");
        });
    }

    @Test
    void mutedCountsReportedByTheRouterAddUpInTheIntegrationStatus() throws Exception {
        String ws = workspace();
        String id = createSlack(ws);
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        JsonNode fresh = JSON.readTree(call("GET", path, ADMIN_KEY, null, null).body()).get("status");
        assertThat(fresh.get("mutedEvents").asLong(0)).isZero();
        assertThat(fresh.path("lastMutedAt").isNull() || fresh.path("lastMutedAt").isMissingNode()).isTrue();

        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        ApiTestClient.reportStatus(
                new StatusReport(ws, id, null, StatusReport.DELIVERED, null, null, at),
                new StatusReport(ws, id, null, StatusReport.MUTED, "muted",
                        "integration Slack is muted until 2026-11-28T12:00:00Z (maintenance)", at.plusSeconds(5), 3L),
                new StatusReport(ws, id, null, StatusReport.MUTED, "muted",
                        "integration Slack is muted until 2026-11-28T12:00:00Z (maintenance)", at.plusSeconds(10), 4L));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(call("GET", path, ADMIN_KEY, null, null).body()).get("status");
            assertThat(status.get("mutedEvents").asLong(0)).isEqualTo(7);
            assertThat(status.get("lastMutedAt").asString("")).isEqualTo("2026-11-28T10:00:10Z");
            // muting is not a problem: the integration stays connected, with no error shown
            assertThat(status.get("state").asString("")).isEqualTo("connected");
            assertThat(status.path("lastError").isNull() || status.path("lastError").isMissingNode()).isTrue();
            assertThat(status.get("lastDeliveredAt").asString("")).isEqualTo("2026-11-28T10:00:00Z");
        });
        // the list shows the same status
        JsonNode listed = JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, null, null)
                .body()).at("/integrations/0/status");
        assertThat(listed.get("mutedEvents").asLong(0)).isEqualTo(7);
    }

    @Test
    void slackIntegrationsChooseHowResolvedAlertsShow() throws Exception {
        String ws = workspace();
        String plain = createSlack(ws);
        assertThat(JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + plain, ADMIN_KEY, null, null)
                .body()).get("resolvedAlerts").asString("")).as("the default: edit in place").isEqualTo("update");

        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Alerts","channels":[{"id":"C1","name":"#alerts"}],"defaultChannelId":"C1",
                 "resolvedAlerts":"thread"}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString("");
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        assertThat(JSON.readTree(created.body()).get("resolvedAlerts").asString("")).isEqualTo("thread");
        // stored as the property slack-sender reads
        assertThat(SlackKind.resolvedAlerts(ApiTestClient.storedIntegration(ws, id).properties(), "C1"))
                .isEqualTo(SlackKind.RESOLVED_THREAD);

        // changes that do not name it keep it
        assertThat(call("PUT", path, ADMIN_KEY, """
                {"name":"Alerts (renamed)","channels":[{"id":"C1","name":"#alerts"}],"defaultChannelId":"C1"}""",
                null).statusCode()).isEqualTo(200);
        assertThat(call("PUT", path + "/notification-settings", ADMIN_KEY,
                "{\"notificationTypes\":{\"report.completed\":true}}", null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", path, ADMIN_KEY, null, null).body()).get("resolvedAlerts").asString(""))
                .isEqualTo("thread");

        var back = call("PUT", path, ADMIN_KEY, """
                {"name":"Alerts","channels":[{"id":"C1","name":"#alerts"}],"defaultChannelId":"C1",
                 "resolvedAlerts":"update"}""", null);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(JSON.readTree(back.body()).get("resolvedAlerts").asString("")).isEqualTo("update");
        assertThat(SlackKind.resolvedAlerts(ApiTestClient.storedIntegration(ws, id).properties(), "C1"))
                .isEqualTo(SlackKind.RESOLVED_UPDATE);

        String before = readConfigTopic();
        var sideways = call("PUT", path, ADMIN_KEY, """
                {"name":"Alerts","channels":[{"id":"C1","name":"#alerts"}],"resolvedAlerts":"sideways"}""", null);
        assertThat(sideways.statusCode()).isEqualTo(422);
        assertThat(sideways.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(sideways.body()).at("/errors/0/field").asString("")).isEqualTo("resolvedAlerts");
        assertThat(JSON.readTree(sideways.body()).get("detail").asString("")).isEqualTo("resolvedAlerts: must be update"
                + " (edit the alert's message in place) or thread (reply in the alert's thread)");

        var webhook = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Hooks","channels":[{"url":"https://hooks.example.com/x"}],
                 "resolvedAlerts":"thread"}""", null);
        assertThat(webhook.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(webhook.body()).get("detail").asString(""))
                .startsWith("resolvedAlerts: only Slack integrations have it");
        assertThat(readConfigTopic()).as("nothing refused was stored").isEqualTo(before);

        String hooks = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Hooks","channels":[{"url":"https://hooks.example.com/x"}]}""", null)
                .body()).get("id").asString("");
        JsonNode hooksView = JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + hooks, ADMIN_KEY,
                null, null).body());
        assertThat(hooksView.path("resolvedAlerts").isNull() || hooksView.path("resolvedAlerts").isMissingNode())
                .as("only Slack has it").isTrue();
        // a webhook integration cannot be given it by a later change either
        var later = call("PUT", "/v1/workspaces/" + ws + "/integrations/" + hooks, ADMIN_KEY, """
                {"name":"Hooks","channels":[{"url":"https://hooks.example.com/x"}],"resolvedAlerts":"update"}""", null);
        assertThat(later.statusCode()).isEqualTo(422);
        assertThat(later.body()).contains("only Slack integrations have it");
    }

    @Test
    void endpointReportedDisabledIsSwitchedOffAnnouncedAndCanBeEnabledAgain() throws Exception {
        String ws = workspace();
        JsonNode created = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Hooks","channels":[{"id":"gone","name":"Old endpoint",
                 "url":"https://old.example.com/hook"}]}""", null).body());
        String id = created.get("id").asString("");
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("connectors.status", id, ConfigCodec.encode(new StatusReport(ws, id,
                    "gone", StatusReport.UNHEALTHY, "endpoint_disabled", "the endpoint answered 410 Gone",
                    Instant.now().plusSeconds(1))))).get();
        }
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                JSON.readTree(call("GET", path, ADMIN_KEY, null, null).body()).at("/channels/0/enabled").asBoolean(false))
                .isFalse());
        await().atMost(Duration.ofSeconds(15)).until(() -> platformEvents().stream()
                .anyMatch(e -> e.contains("endpoint.disabled") && e.contains(ws) && e.contains("410 Gone")));

        var enabled = call("POST", path + "/channels/gone:enable", ADMIN_KEY, null, null);
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(enabled.body()).at("/channels/0/enabled").asBoolean(false)).isTrue();
    }

    /** platform.events values as text (Avro strings are readable in the bytes). */
    private static List<String> platformEvents() {
        return ApiTestClient.records("platform.events").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void openApiDocumentIsServed() throws Exception {
        var docs = call("GET", "/v3/api-docs", null, null, null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/v1/workspaces/{workspaceId}/integrations")
                .contains("/v1/workspaces/{workspaceId}/routing:preview");
        JsonNode schemas = JSON.readTree(docs.body()).at("/components/schemas");
        assertThat(schemas.at("/StatusView/properties/mutedEvents/type").asString("")).isEqualTo("integer");
        assertThat(schemas.at("/StatusView/properties/mutedEvents/description").asString("")).contains("held back");
        assertThat(schemas.at("/StatusView/properties/lastMutedAt/format").asString("")).isEqualTo("date-time");
        for (String shape : List.of("IntegrationRequest", "IntegrationView")) {
            JsonNode field = schemas.at("/" + shape + "/properties/resolvedAlerts");
            assertThat(field.get("enum")).as(shape).extracting(JsonNode::asText).containsExactly("update", "thread");
            assertThat(field.get("description").asString("")).as(shape).contains("Slack integrations only");
        }
    }

    @Test
    void noiseSettingsAreValidatedStoredAndExplainedByPreview() throws Exception {
        String ws = workspace();
        var refused = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Noisy","notificationTypes":{"report.completed":true},
                 "channels":[{"id":"C1","name":"#data-alerts"}],
                 "rules":[{"id":"r","match":{"types":["report.completed"]},"channelId":"C1",
                           "grouping":{"by":["type","payload.x"],"wait":"20m","interval":"soon"},
                           "dedupe":{"window":"0s"},"mute":{"reason":"a\\nb"}}]}""", null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("rules[0].grouping.by[1]", "rules[0].grouping.wait",
                "rules[0].grouping.interval", "rules[0].dedupe.window", "rules[0].mute.until", "rules[0].mute.reason");

        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Noisy","notificationTypes":{"report.completed":true,"user.invited":true},
                 "channels":[{"id":"C1","name":"#data-alerts"}],
                 "rules":[{"id":"reports","match":{"types":["report.completed"]},"channelId":"C1",
                           "grouping":{"by":["type","attributes.sourceId"],"wait":"30s","interval":"5m"}},
                          {"id":"invites","match":{"types":["user.invited"]},"channelId":"C1",
                           "mute":{"until":"2099-01-01T00:00:00Z","reason":"too far"}}]}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(422);
        assertThat(created.body()).contains("rules[1].mute.until", "at most 90 days ahead");

        String until = java.time.Instant.now().plus(java.time.Duration.ofHours(2)).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS).toString();
        created = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Noisy","notificationTypes":{"report.completed":true,"user.invited":true},
                 "channels":[{"id":"C1","name":"#data-alerts"}],
                 "rules":[{"id":"reports","match":{"types":["report.completed"]},"channelId":"C1",
                           "grouping":{"by":["type","attributes.sourceId"],"wait":"30s","interval":"5m"}},
                          {"id":"invites","match":{"types":["user.invited"]},"channelId":"C1",
                           "mute":{"until":"%s","reason":"onboarding week"}}]}""".formatted(until), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString("");
        JsonNode rules = JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules",
                ADMIN_KEY, null, null).body());
        assertThat(rules.at("/rules/0/grouping").toString())
                .isEqualTo("{\"by\":[\"type\",\"attributes.sourceId\"],\"wait\":\"30s\",\"interval\":\"5m\"}");
        assertThat(rules.at("/rules/1/mute/reason").asString("")).isEqualTo("onboarding week");

        JsonNode report = preview(ws, "report.completed", "info");
        assertThat(report.at("/destinations/0/noise").asString("")).contains("Grouped as 'report.completed, '",
                "after 30s", "folded into the open digest of the group", "once per 5m");
        JsonNode invited = preview(ws, "user.invited", "info");
        assertThat(invited.get("destinations")).isEmpty();
        assertThat(invited.at("/notRouted/0/reason").asString("")).isEqualTo("muted");
        assertThat(invited.at("/notRouted/0/detail").asString("")).contains("muted until", "onboarding week");

        var badNoise = call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                "{\"capPerMinute\":0}", null);
        assertThat(badNoise.statusCode()).isEqualTo(422);
        assertThat(badNoise.body()).contains("capPerMinute");
        var noise = call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                "{\"capPerMinute\":20,\"mute\":{\"until\":\"" + until + "\",\"reason\":\"maintenance\"}}", null);
        assertThat(noise.statusCode()).as(noise.body()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                null, null).body()).get("capPerMinute").asInt(0)).isEqualTo(20);
        JsonNode whileMuted = preview(ws, "report.completed", "info");
        assertThat(whileMuted.get("destinations")).isEmpty();
        assertThat(whileMuted.at("/notRouted/0/detail").asString("")).contains("integration Noisy is muted until",
                "maintenance");

        // a later edit of the rules keeps the integration's cap and mute
        call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules", ADMIN_KEY,
                "{\"rules\":[],\"defaultChannelId\":\"C1\"}", null);
        call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY, "{\"capPerMinute\":20}", null);
        assertThat(preview(ws, "report.completed", "info").at("/destinations/0/noise").asString(""))
                .isEqualTo("At most 20 messages per minute go to this destination; beyond that, events are folded"
                        + " into the next digest, never dropped.");
    }

    @Test
    void theNoiseEndpointIsGuardedLikeItsSiblings() throws Exception {
        String a = workspace();
        String b = workspace();
        String mine = createSlack(a);
        String theirs = createSlack(b);
        String noise = "/v1/workspaces/" + a + "/integrations/" + mine + "/noise";
        String theirNoise = "/v1/workspaces/" + b + "/integrations/" + theirs + "/noise";
        String good = "{\"capPerMinute\":5}";
        String reader = key(a, "integrations:read");
        String writer = key(a, "integrations:read\",\"integrations:write");
        String ingestOnly = key(a, "events:write");
        String before = readConfigTopic();

        // scopes: reading needs integrations:read, changing integrations:write
        assertThat(call("GET", noise, null, null, null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", noise, null, good, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", noise, reader, null, null).statusCode()).isEqualTo(200);
        var readerWrites = call("PUT", noise, reader, good, null);
        assertThat(readerWrites.statusCode()).isEqualTo(403);
        assertThat(readerWrites.body()).contains("integrations:write");
        assertThat(call("GET", noise, ingestOnly, null, null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", noise, ingestOnly, good, null).statusCode()).isEqualTo(403);
        // another workspace: its path is refused, and its integration's id does not resolve under our path
        assertThat(call("GET", theirNoise, writer, null, null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", theirNoise, writer, good, null).statusCode()).isEqualTo(403);
        String theirsUnderMine = "/v1/workspaces/" + a + "/integrations/" + theirs + "/noise";
        assertThat(call("GET", theirsUnderMine, writer, null, null).statusCode()).isEqualTo(404);
        assertThat(call("PUT", theirsUnderMine, writer, good, null).statusCode()).isEqualTo(404);

        // bad bodies: problem+json, the field named where there is one
        Map<String, Integer> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"capPerMinute\":", 400);
        bad.put("[]", 400);
        bad.put("{\"capPerMinute\":\"many\"}", 400);
        bad.put("{\"capPerMinute\":99999999999}", 400);
        bad.put("{\"mute\":{\"until\":\"tomorrow\"}}", 400);
        bad.put("{\"capPerMinute\":0}", 422);
        bad.put("{\"capPerMinute\":100000}", 422);
        bad.put("{\"mute\":{\"reason\":\"no end\"}}", 422);
        bad.put("{\"mute\":{\"until\":\"2099-01-01T00:00:00Z\"}}", 422);
        bad.put("{\"mute\":{\"until\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\",\"reason\":\"a\\nb\"}}",
                422);
        bad.put("{\"mute\":{\"until\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\",\"reason\":\""
                + "r".repeat(1_000) + "\"}}", 422);
        bad.put("{\"capPerMinute\":5,\"pad\":\"" + "x".repeat(300_000) + "\"}", 413);
        for (Map.Entry<String, Integer> body : bad.entrySet()) {
            var refused = call("PUT", noise, writer, body.getKey(), null);
            String shown = body.getKey().length() > 80 ? body.getKey().substring(0, 80) + "…" : body.getKey();
            assertThat(refused.statusCode()).as(shown).isEqualTo(body.getValue());
            assertThat(refused.headers().firstValue("Content-Type")).as(shown)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            if (body.getValue() == 422) {
                assertThat(JSON.readTree(refused.body()).at("/errors/0/field").asString("")).as(shown)
                        .isIn("capPerMinute", "mute.until", "mute.reason");
            }
        }
        assertThat(readConfigTopic()).as("nothing refused reached connectors.config").isEqualTo(before);

        var saved = call("PUT", noise, writer, good, null);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", noise, reader, null, null).body()).get("capPerMinute").asInt(0))
                .isEqualTo(5);
        var untouched = call("GET", theirNoise, ADMIN_KEY, null, null);
        assertThat(untouched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(untouched.body()).path("capPerMinute").isNumber())
                .as("the other workspace's integration is untouched").isFalse();
    }

    private String key(String ws, String scopes) throws Exception {
        var created = call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"k\",\"scopes\":[\"" + scopes + "\"]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("key").asString("");
    }

    private JsonNode preview(String ws, String type, String level) throws Exception {
        String payload = switch (type) {
            case "report.completed" -> "{\"reportId\":\"r1\",\"reportName\":\"Weekly\"}";
            case "user.deactivated" -> "{\"userEmail\":\"a@b.c\",\"deactivatedBy\":\"admin\"}";
            case "user.invited" -> "{\"userEmail\":\"a@b.c\",\"invitedBy\":\"admin\"}";
            default -> "{\"alertId\":\"a1\",\"alertName\":\"CPU\",\"metric\":\"cpu\",\"comparator\":\">\","
                    + "\"threshold\":90,\"value\":97.5}";
        };
        var answer = call("POST", "/v1/workspaces/" + ws + "/routing:preview", ADMIN_KEY,
                "{\"type\":\"" + type + "\",\"level\":\"" + level + "\",\"summary\":\"s\",\"payload\":" + payload + "}",
                null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private String createSlack(String ws) throws Exception {
        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}],"defaultChannelId":"C1"}""",
                null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString("");
    }

    @Test
    void oversizedBodiesAreRefusedWithoutBeingRead() throws Exception {
        String ws = workspace();
        String huge = "{\"kind\":\"webhook\",\"name\":\"" + "x".repeat(300_000) + "\"}"; // limit: 256 KB
        for (String path : List.of("/integrations", "/routing:preview", "/api-keys")) {
            var refused = call("POST", "/v1/workspaces/" + ws + path, ADMIN_KEY, huge, null);
            assertThat(refused.statusCode()).as(path).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(refused.body()).get("reason").asString("")).isEqualTo("too_large");
        }
        assertThat(JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, null, null).body())
                .get("integrations")).isEmpty();

        // Slack's events URL takes requests from anyone: a chunked body is cut off as soon as it passes the limit
        try (ChunkedUpload upload = ChunkedUpload.start(port, "/slack/events",
                Map.of("Content-Type", "application/json"))) {
            for (int i = 0; i < 40 && upload.send("x".repeat(8_000)); i++) {
                // 320 KB unless the answer comes first
            }
            ChunkedUpload.Response response = upload.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("\"reason\":\"too_large\"");
        }
    }

    private static String workspace() {
        return ApiTestClient.workspace();
    }

    /** Found by IntegrationApiFuzzTest: a wildcard Content-Type made Spring MVC fail with a 500 on every body. */
    @Test
    void aWildcardContentTypeIsRefusedWith415() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/v1/workspaces/" + workspace() + "/integrations", "/slack/events")) {
            for (String type : List.of("application/*", "*/*")) {
                var answer = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", type).header("Authorization", "Bearer " + ADMIN_KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"kind\":\"slack\",\"name\":\"S\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("%s %s", path, type).isEqualTo(415);
                assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
                assertThat(JSON.readTree(answer.body()).get("detail").asString("")).contains("not a wildcard");
            }
        }
        assertThat(readConfigTopic()).doesNotContain("\"name\":\"S\"");
    }

    /** Found by IntegrationApiFuzzTest: an undecodable form body on a PUT made a filter fail with a 500. */
    @Test
    void anUndecodableFormBodyOnAPutIsRefusedWith415() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String path = "/v1/workspaces/" + workspace() + "/integrations/int_doesnotmatter";
        var answer = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("name=%zz&kind=%"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    private HttpResponse<String> call(String method, String path, String key, String body, String ifMatch)
            throws Exception {
        return new ApiTestClient(port).call(method, path, key, body, ifMatch);
    }

    private static String readConfigTopic() {
        return ApiTestClient.configTopicText();
    }
}
