package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.integration.ApiTestClient;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's two pickers over plain HTTP against the running service: the operator's workspace picker (operator
 * only, CSRF-protected, the id validated, what was typed shown escaped) and the routing preview's recent events (only
 * the session's own workspace's, escaped).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsolePickerSecurityTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    /**
     * How the security chain refuses a console request the session may not make: the console session is no API-key
     * authentication, so the chain's entry point answers (401, problem+json); 403 would do as well.
     */
    private static final Integer[] REFUSED = {401, 403};

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
        TestInfrastructure.createTopics(1, "platform.events");
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @Value("${local.server.port}")
    int port;

    ApiTestClient api;
    String a;
    String b;
    String integrationOfA;
    String integrationOfB;
    String keyOfA;

    @BeforeEach
    void twoWorkspaces() throws Exception {
        api = new ApiTestClient(port);
        a = ApiTestClient.workspace();
        b = ApiTestClient.workspace();
        integrationOfA = createSlack(a, "Hooks of A");
        integrationOfB = createSlack(b, "Hooks of B");
        var created = api.call("POST", "/v1/workspaces/" + a + "/api-keys", ADMIN_KEY, """
                {"name":"admin","scopes":["integrations:read","integrations:write","keys:manage"]}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        keyOfA = JSON.readTree(created.body()).get("key").asString("");
    }

    @Test
    void aWorkspaceAdminCannotSwitchWorkspaceThroughThePicker() throws Exception {
        String session = api.consoleLogin(keyOfA);
        String token = csrf(api.browserGet("/console", session));

        assertThat(api.browserGet("/console/operator/workspaces", session).statusCode()).isIn(REFUSED);
        var refused = pick(session, token, b, sameOrigin());
        assertThat(refused.statusCode()).isIn(REFUSED);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        var page = api.browserGet("/console", session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hooks of A").doesNotContain("Hooks of B");
        assertThat(api.browserGet("/console/integrations/" + integrationOfB, session).statusCode()).isEqualTo(404);
    }

    @Test
    void theOperatorsPickNeedsTheTokenAndAValidWorkspaceId() throws Exception {
        String session = api.consoleLogin(ADMIN_KEY);
        String token = csrf(api.browserGet("/console/operator/workspaces", session));

        assertThat(pick(session, null, b, sameOrigin()).statusCode()).as("no token").isIn(REFUSED);
        assertThat(pick(session, token + "x", b, sameOrigin()).statusCode()).as("wrong token").isIn(REFUSED);
        assertThat(pick(session, token, b, Map.of("Origin", "https://evil.example")).statusCode())
                .as("another site").isIn(REFUSED);
        assertThat(pick(session, token, b, Map.of("Origin", api.base(), "Sec-Fetch-Site", "cross-site"))
                .statusCode()).as("another site").isIn(REFUSED);
        assertNothingChosen(session);

        for (String bad : new String[] {"", "ws_", "ws_" + "a".repeat(61), "ws_a/../ws_b", "ws_a b", "WS_abc",
                "ws_a;x=1", "ws_ä", "\"><script>alert(1)</script>"}) {
            var refused = pick(session, token, bad, sameOrigin());
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("a workspace id is ws_").doesNotContain("<script>alert(1)");
        }
        assertThat(pick(session, token, "\"><script>alert(1)</script>", sameOrigin()).body())
                .contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
        assertNothingChosen(session);

        var chosen = pick(session, token, b, sameOrigin());
        assertThat(chosen.statusCode()).isEqualTo(302);
        assertThat(chosen.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console"));
        assertThat(api.browserGet("/console", session).body()).contains("Hooks of B").doesNotContain("Hooks of A");
    }

    @Test
    void theRecentEventPickerOffersOnlyTheWorkspacesOwnEventsEscaped() throws Exception {
        String mine = "summary-of-" + a + " <img src=x onerror=alert(1)>";
        String theirs = "summary-of-" + b;
        produce(event(a, mine), event(b, theirs));

        String session = api.consoleLogin(keyOfA);
        String routing = "/console/integrations/" + integrationOfA + "/routing";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.browserGet(routing, session).body()).contains("summary-of-" + a));
        String page = api.browserGet(routing, session).body();
        assertThat(page).doesNotContain(theirs).doesNotContain("<img src=x")
                .contains("summary-of-" + a + " &lt;img src=x onerror=alert(1)&gt;");
        // B's integration is not found in A's console, with or without its events
        var other = api.browserGet("/console/integrations/" + integrationOfB + "/routing", session);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain(theirs);

        // the operator looking at B sees B's events, not A's
        String operator = api.consoleLogin(ADMIN_KEY);
        String token = csrf(api.browserGet("/console/operator/workspaces", operator));
        assertThat(pick(operator, token, b, sameOrigin()).statusCode()).isEqualTo(302);
        String operatorPage = api.browserGet("/console/integrations/" + integrationOfB + "/routing", operator).body();
        assertThat(operatorPage).contains(theirs).doesNotContain("summary-of-" + a);
    }

    private void assertNothingChosen(String session) throws Exception {
        var home = api.browserGet("/console", session);
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).endsWith("/console/operator/workspaces"));
    }

    private HttpResponse<String> pick(String session, String token, String workspaceId, Map<String, String> headers)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        if (token != null) {
            form.put("_csrf", token);
        }
        form.put("workspaceId", workspaceId);
        return api.browserPost("/console/operator/workspaces", form, session, headers);
    }

    private Map<String, String> sameOrigin() {
        return Map.of("Origin", api.base(), "Sec-Fetch-Site", "same-origin");
    }

    private static String csrf(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("the page carries its CSRF token").isTrue();
        return m.group(1);
    }

    private String createSlack(String ws, String name) throws Exception {
        var created = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"%s","channels":[{"id":"C1","name":"#general"}],"defaultChannelId":"C1"}"""
                .formatted(name), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString("");
    }

    private static PlatformEvent event(String ws, String summary) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("backup.finished")
                .setWorkspaceId(ws).setOccurredAt(Instant.now()).setLevel(Level.info).setSummary(summary)
                .setPayload(new GenericPayload("{}")).build();
    }

    private static void produce(PlatformEvent... events) {
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(), avro)) {
            for (PlatformEvent e : events) {
                producer.send(new ProducerRecord<>("platform.events", e.getWorkspaceId(), e));
            }
        }
    }
}
