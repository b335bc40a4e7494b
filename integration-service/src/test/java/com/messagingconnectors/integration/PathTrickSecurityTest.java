package com.messagingconnectors.integration;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.testsupport.PathTricks;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code /v1} and {@code /admin} route the OpenAPI document lists (so a new route is covered without touching this test), spelled
 * every way an attacker would try ({@link PathTricks}), called over real HTTP with no key, another workspace's key,
 * the workspace's own key and the operator key. Nothing may succeed, and nothing may reach connectors.config.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathTrickSecurityTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(1, "connectors.config", "connectors.status", "platform.events");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.secrets.keys", () -> "test:" + Base64.getEncoder().encodeToString(new byte[32]));
        registry.add("connectors.security.admin-api-key", () -> ADMIN_KEY);
        registry.add("server.address", () -> "127.0.0.1");
    }

    @Value("${local.server.port}")
    int port;

    ApiTestClient api;
    String target;          // the workspace under attack
    String attacker;        // another workspace, whose key the attacker holds
    String targetKey;       // the target workspace's own key (every scope)
    String attackerKey;     // the attacker's key (every scope, in its own workspace)
    Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    void twoWorkspaces() throws Exception {
        api = new ApiTestClient(port);
        target = ApiTestClient.workspace();
        attacker = ApiTestClient.workspace();
        targetKey = createKey(target);
        attackerKey = createKey(attacker);
        // real ids, so that a request that got through would find something to read, change or delete
        JsonNode integration = JSON.readTree(api.call("POST", "/v1/workspaces/" + target + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Target hooks","channels":[{"id":"hook","url":"https://hooks.example.com/x"}]}""",
                null).body());
        ids.put("workspaceId", target);
        ids.put("id", integration.get("id").asString(""));
        ids.put("channelId", "hook");
        ids.put("keyId", JSON.readTree(api.call("GET", "/v1/workspaces/" + target + "/api-keys", ADMIN_KEY, null, null)
                .body()).at("/apiKeys/0/id").asString(""));
        ids.put("teamId", "team-1");
    }

    private String createKey(String workspace) throws Exception {
        var created = api.call("POST", "/v1/workspaces/" + workspace + "/api-keys", ADMIN_KEY, """
                {"name":"all","scopes":["events:write","integrations:read","integrations:write","keys:manage"]}""", null);
        assertThat(created.statusCode()).isEqualTo(201);
        return JSON.readTree(created.body()).get("key").asString("");
    }

    /** (method, path template) of every /v1 and /admin operation in the service's own OpenAPI document. */
    private List<String[]> routes() throws Exception {
        JsonNode paths = JSON.readTree(api.call("GET", "/v3/api-docs", null, null, null).body()).get("paths");
        List<String[]> routes = new ArrayList<>();
        paths.properties().forEach(path -> {
            if (path.getKey().startsWith("/v1/") || path.getKey().startsWith("/admin/")) {
                path.getValue().properties().forEach(op -> routes.add(
                        new String[] {op.getKey().toUpperCase(), path.getKey()}));
            }
        });
        return routes;
    }

    @Test
    void noSpellingOfAnyRouteLetsAnAttackerIn() throws Exception {
        List<String[]> routes = routes();
        // the document lists the routes this test must cover; if it stops listing them the test proves nothing
        assertThat(routes.stream().map(r -> r[0] + " " + r[1])).contains(
                "GET /v1/workspaces/{workspaceId}/integrations", "GET /v1/workspaces/{workspaceId}/api-keys",
                "POST /v1/workspaces/{workspaceId}/routing:preview",
                "GET /v1/workspaces/{workspaceId}/integrations/{id}/noise",
                "PUT /v1/workspaces/{workspaceId}/integrations/{id}/noise");
        long configBefore = configEndOffset();
        String body = "{\"name\":\"x\",\"kind\":\"webhook\",\"channels\":[{\"url\":\"https://attacker.example.com/\"}]}";
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String[] route : routes) {
            String method = route[0];
            String path = PathTricks.fill(route[1], ids);
            String sentBody = Set.of("POST", "PUT", "PATCH").contains(method) ? body : null;
            // the plain path: no key → 401, the other workspace's key → 403
            requests += expect(failures, method, path, "plain path", null, sentBody, Set.of(401));
            requests += expect(failures, method, path, "plain path", "Bearer " + attackerKey, sentBody, Set.of(403));
            for (PathTricks.Variant variant : PathTricks.of(route[1], ids, attacker)) {
                requests += expect(failures, method, variant.rawPath(), variant.trick(), null, sentBody,
                        Set.of(400, 401));
                requests += expect(failures, method, variant.rawPath(), variant.trick(), "Bearer " + attackerKey,
                        sentBody, Set.of(400, 403, 404, 405));
                requests += expect(failures, method, variant.rawPath(), variant.trick(), "Bearer " + targetKey,
                        sentBody, Set.of(400, 403, 404, 405));
                requests += expect(failures, method, variant.rawPath(), variant.trick(), "Bearer " + ADMIN_KEY,
                        sentBody, Set.of(400, 403, 404, 405));
            }
        }
        assertThat(failures).as("%d requests", requests).isEmpty();
        assertThat(requests).isGreaterThan(1000);
        assertThat(configEndOffset()).as("nothing written to connectors.config").isEqualTo(configBefore);
    }

    private int expect(List<String> failures, String method, String rawPath, String trick, String authorization,
                       String body, Set<Integer> allowed) throws Exception {
        int status = PathTricks.send(port, method, rawPath, authorization, body);
        if (!allowed.contains(status)) {
            String who = authorization == null ? "no key" : authorization.contains(ADMIN_KEY) ? "operator key"
                    : authorization.contains(targetKey) ? "own key" : "other workspace's key";
            failures.add(method + " " + rawPath + " (" + trick + ", " + who + ") → " + status + ", expected "
                    + allowed);
        }
        return 1;
    }

    private static long configEndOffset() {
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition("connectors.config", 0);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }
}
