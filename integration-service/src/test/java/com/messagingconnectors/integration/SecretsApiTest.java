package com.messagingconnectors.integration;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant input that could hurt (regexes) and secrets that must stay secret (custom headers, signing-secret rotation),
 * through the real API on a real broker; what is stored is read back from the topic itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecretsApiTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final String TOPIC = "connectors.config.secrets-api-test";
    static final ObjectMapper JSON = Json.MAPPER;
    static final String TOKEN = "Bearer s3cr3t-" + UUID.randomUUID();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(1, TOPIC, "connectors.status", "platform.events");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.config.topic", () -> TOPIC);
        registry.add("connectors.config.writer-transactional-id", () -> "secrets-api-test-" + UUID.randomUUID());
        registry.add("connectors.secrets.keys", () -> "test:" + Base64.getEncoder().encodeToString(new byte[32]));
        registry.add("connectors.security.admin-api-key", () -> ADMIN_KEY);
        registry.add("server.address", () -> "127.0.0.1");
    }

    @Value("${local.server.port}")
    int port;
    @Autowired
    SecretBox secrets;
    ApiTestClient api;
    String ws;

    @BeforeEach
    void setUp() {
        api = new ApiTestClient(port);
        ws = ApiTestClient.workspace();
    }

    @Test
    void catastrophicAndOverlongRegexesAreRefusedNamingTheField() throws Exception {
        var refused = post("/integrations", """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}],
                 "rules":[{"match":{"attributes":[{"key":"env","regex":"(a+)+b\\\\1"},
                                                  {"key":"region","regex":"%s"}]},"channelId":"C1"}]}"""
                .formatted("a".repeat(257)));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        Map<String, String> problems = problems(refused);
        assertThat(problems).containsOnlyKeys("rules[0].match.attributes[0].regex",
                "rules[0].match.attributes[1].regex");
        assertThat(problems.get("rules[0].match.attributes[0].regex")).contains("backreferences").contains("\\1");
        assertThat(problems.get("rules[0].match.attributes[1].regex")).contains("257").contains("at most 256");

        var accepted = post("/integrations", """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}],
                 "rules":[{"match":{"attributes":[{"key":"region","regex":"eu-(west|central)-[0-9]+"}]},
                           "channelId":"C1"}]}""");
        assertThat(accepted.statusCode()).isEqualTo(201);
    }

    @Test
    void customHeadersAreWriteOnlyAndSealed() throws Exception {
        var created = post("/integrations", """
                {"kind":"webhook","name":"Hooks","channels":[{"id":"ep1","url":"https://hooks.example.com/a",
                 "headers":{"Authorization":"%s","X-Team":"sre"}}]}""".formatted(TOKEN));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(TOKEN).doesNotContain("sre");
        String id = JSON.readTree(created.body()).get("id").asString("");
        String path = "/integrations/" + id;

        JsonNode fetched = JSON.readTree(get(path).body());
        assertThat(fetched.at("/channels/0/headers").toString())
                .isEqualTo("{\"Authorization\":\"********\",\"X-Team\":\"********\"}");
        assertThat(topicText()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring("Bearer ".length()));
        assertThat(openHeaders(stored(id))).containsExactlyInAnyOrderEntriesOf(
                Map.of("Authorization", TOKEN, "X-Team", "sre"));

        // what a GET shows can be sent back: masked values keep what is stored; a new value replaces; left out = gone
        String channels = fetched.get("channels").toString()
                .replace("\"X-Team\":\"********\"", "\"X-Team\":\"platform\"");
        var replaced = api.call("PUT", "/v1/workspaces/" + ws + path, ADMIN_KEY,
                "{\"name\":\"Hooks\",\"channels\":" + channels + "}", null);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(openHeaders(stored(id))).containsExactlyInAnyOrderEntriesOf(
                Map.of("Authorization", TOKEN, "X-Team", "platform"));
        // other changes (here: disable) keep the headers too
        assertThat(api.call("POST", "/v1/workspaces/" + ws + path + ":disable", ADMIN_KEY, null, null).statusCode())
                .isEqualTo(200);
        assertThat(openHeaders(stored(id))).containsEntry("Authorization", TOKEN);
        var removed = api.call("PUT", "/v1/workspaces/" + ws + path, ADMIN_KEY, """
                {"name":"Hooks","channels":[{"id":"ep1","url":"https://hooks.example.com/a",
                 "headers":{"X-Team":null}}]}""", null);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(openHeaders(stored(id))).containsExactly(Map.entry("X-Team", "platform"));

        var keepNothing = post("/integrations", """
                {"kind":"webhook","name":"Fresh","channels":[{"id":"ep1","url":"https://hooks.example.com/b",
                 "headers":{"X-Api-Key":"********"}}]}""");
        assertThat(keepNothing.statusCode()).isEqualTo(422);
        assertThat(problems(keepNothing)).containsOnlyKeys("channels[0].headers.X-Api-Key");
    }

    @Test
    void headerNamesAndValuesAreChecked() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
        }
        var bad = post("/integrations", """
                {"kind":"webhook","name":"Bad","channels":[
                  {"id":"ep1","url":"https://hooks.example.com/a","headers":{"Host":"evil.example.com",
                   "webhook-signature":"v1,forged","Transfer-Encoding":"chunked","X Bad":"v","X-Split":"a\\r\\nX-Evil: 1",
                   "X-Long":"%s"}},
                  {"id":"ep2","url":"https://hooks.example.com/b","headers":{%s}}]}"""
                .formatted("v".repeat(2049), many));
        assertThat(bad.statusCode()).isEqualTo(422);
        Map<String, String> problems = problems(bad);
        assertThat(problems).containsOnlyKeys("channels[0].headers.Host", "channels[0].headers.webhook-signature",
                "channels[0].headers.Transfer-Encoding", "channels[0].headers.X Bad", "channels[0].headers.X-Split",
                "channels[0].headers.X-Long", "channels[1].headers");
        assertThat(problems.get("channels[0].headers.Host")).contains("set by the sender");
        assertThat(problems.get("channels[0].headers.X-Split")).contains("no CR or LF");
        assertThat(problems.get("channels[1].headers")).contains("at most 20");
    }

    @Test
    void plainHeadersOfAnOlderRecordAreMaskedAndSealedOnTheNextWrite() throws Exception {
        String id = "int_legacy" + UUID.randomUUID().toString().substring(0, 6);
        WebhookEndpointConfig legacy = new WebhookEndpointConfig("ep1", "ep1", "https://hooks.example.com/a", null, null,
                Map.of("X-Api-Key", "legacy-key-123"), List.of(secrets.seal("whsec_" + Base64.getEncoder()
                .encodeToString(new byte[24]), SecretPurposes.signing(ws, id, "ep1"))), true, null, null);
        IntegrationConfig record = new IntegrationConfig(id, ws, com.messagingconnectors.config.model.IntegrationKind
                .webhook, "Legacy", true, Map.of(), "ep1", List.of(legacy), List.of(), Map.of(), Map.of(), 1,
                Instant.now(), Instant.now());
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString(),
                    ConfigCodec.encode(record))).get();
        }
        await().until(() -> get("/integrations/" + id).statusCode() == 200);
        var shown = get("/integrations/" + id);
        assertThat(shown.body()).doesNotContain("legacy-key-123");
        assertThat(JSON.readTree(shown.body()).at("/channels/0/headers/X-Api-Key").asString("")).isEqualTo("********");

        assertThat(api.call("POST", "/v1/workspaces/" + ws + "/integrations/" + id + ":disable", ADMIN_KEY, null, null)
                .statusCode()).isEqualTo(200);
        WebhookEndpointConfig sealed = (WebhookEndpointConfig) stored(id).channels().getFirst();
        assertThat(sealed.headers()).isEmpty();
        assertThat(openHeaders(stored(id))).containsExactly(Map.entry("X-Api-Key", "legacy-key-123"));
    }

    @Test
    void rotatedSecretsPreviousExpiresIn24HoursOrWhenAskedTo() throws Exception {
        var created = post("/integrations", """
                {"kind":"webhook","name":"Rotating","channels":[{"id":"ep1","url":"https://hooks.example.com/a"}]}""");
        String id = JSON.readTree(created.body()).get("id").asString("");
        String endpoint = "/v1/workspaces/" + ws + "/integrations/" + id + "/channels/ep1";

        Instant before = Instant.now();
        var rotated = api.call("POST", endpoint + ":rotate-secret", ADMIN_KEY, null, null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode rotation = JSON.readTree(rotated.body());
        assertThat(rotation.get("signingSecret").asString("")).startsWith("whsec_");
        assertThat(rotation.get("signingSecrets").asInt(0)).isEqualTo(2);
        Instant expires = Instant.parse(rotation.get("previousSigningSecretExpiresAt").asString(""));
        assertThat(expires).isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));
        JsonNode shown = JSON.readTree(get("/integrations/" + id).body()).at("/channels/0");
        assertThat(shown.get("signingSecrets").asInt(0)).isEqualTo(2);
        assertThat(shown.get("previousSigningSecretExpiresAt").asString("")).isEqualTo(expires.toString());
        assertThat(((WebhookEndpointConfig) stored(id).channels().getFirst()).previousSigningSecretsExpireAt()).isEqualTo(expires);

        var expired = api.call("POST", endpoint + ":expire-previous-secret", ADMIN_KEY, null, null);
        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(expired.body()).get("signingSecrets").asInt(0)).isEqualTo(1);
        assertThat(JSON.readTree(expired.body()).path("signingSecret").isString()).isFalse();
        WebhookEndpointConfig after = (WebhookEndpointConfig) stored(id).channels().getFirst();
        assertThat(after.signingSecrets()).hasSize(1);
        assertThat(secrets.open(after.signingSecrets().getFirst(), SecretPurposes.signing(ws, id, "ep1")))
                .isEqualTo(rotation.get("signingSecret").asString(""));

        var slack = post("/integrations", """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}]}""");
        String slackId = JSON.readTree(slack.body()).get("id").asString("");
        var conflict = api.call("POST", "/v1/workspaces/" + ws + "/integrations/" + slackId
                + "/channels/C1:expire-previous-secret", ADMIN_KEY, null, null);
        assertThat(conflict.statusCode()).isEqualTo(409);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return api.call("POST", "/v1/workspaces/" + ws + path, ADMIN_KEY, body, null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return api.call("GET", "/v1/workspaces/" + ws + path, ADMIN_KEY, null, null);
    }

    private static Map<String, String> problems(HttpResponse<String> response) throws Exception {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        JSON.readTree(response.body()).get("errors").forEach(e -> out.put(e.get("field").asString(""),
                e.get("problem").asString("")));
        return out;
    }

    /** The newest record of the integration on the topic. */
    private IntegrationConfig stored(String id) throws Exception {
        String key = new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(ApiTestClient.records(TOPIC));
        ConsumerRecord<String, byte[]> last = records.reversed().stream().filter(r -> key.equals(r.key()))
                .findFirst().orElseThrow();
        return ConfigCodec.decode(last.value(), IntegrationConfig.class);
    }

    private Map<String, String> openHeaders(IntegrationConfig config) {
        WebhookEndpointConfig channel = (WebhookEndpointConfig) config.channels().getFirst();
        assertThat(channel.headers()).as("no plain header values stored").isEmpty();
        Map<String, String> out = new java.util.HashMap<>();
        channel.sealedHeaders().forEach((name, sealed) -> out.put(name, secrets.open(sealed,
                SecretPurposes.header(config.workspaceId(), config.id(), channel.id(), name))));
        return out;
    }

    private static String topicText() {
        StringBuilder all = new StringBuilder();
        ApiTestClient.records(TOPIC).forEach(r -> all.append(r.value() == null ? ""
                : new String(r.value(), StandardCharsets.UTF_8)).append('\n'));
        return all.toString();
    }
}
