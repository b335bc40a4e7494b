package com.messagingconnectors.integration;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encryption-key rotation on a real broker, with integration-service started three times: secrets written under key
 * A; then B active with A still configured, and the operator re-seals; then only B is configured and everything still
 * opens, so A could be retired.
 */
class SecretResealTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    private static final String TOPIC = "connectors.config.reseal-test-" + UUID.randomUUID();
    private static final String KEY_A = "keyA:" + randomKey();
    private static final String KEY_B = "keyB:" + randomKey();
    private static final String TOKEN = "Bearer s3cr3t-" + UUID.randomUUID();
    private static final String BOT_TOKEN = "xoxb-" + UUID.randomUUID();

    @Test
    void secretsSealedWithAnOldKeyStillOpenAfterResealingAndRetiringIt() throws Exception {
        TestInfrastructure.createTopics(1, TOPIC);
        String ws = ApiTestClient.workspace();
        String webhookId;
        String slackId;
        String legacyId = "int_legacy" + UUID.randomUUID().toString().substring(0, 6);
        String newestSigningSecret;
        String previousSigningSecret;

        try (var app = start(KEY_A)) {
            ApiTestClient api = client(app);
            var created = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                    {"kind":"webhook","name":"Hooks","channels":[{"id":"ep1","url":"https://hooks.example.com/a",
                     "headers":{"Authorization":"%s"}}]}""".formatted(TOKEN), null);
            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode body = JSON.readTree(created.body());
            webhookId = body.get("id").asString("");
            previousSigningSecret = body.at("/channels/0/signingSecret").asString("");
            newestSigningSecret = JSON.readTree(api.call("POST", "/v1/workspaces/" + ws + "/integrations/" + webhookId
                    + "/channels/ep1:rotate-secret", ADMIN_KEY, null, null).body()).get("signingSecret").asString("");

            var slack = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                    {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}]}""", null);
            slackId = JSON.readTree(slack.body()).get("id").asString("");
            app.getBean(IntegrationService.class).saveCredentials(ws, slackId, Map.of("bot_token", BOT_TOKEN),
                    Map.of());

            // a record as written before custom headers were sealed: plain header value, signing secret under A
            SecretBox a = app.getBean(SecretBox.class);
            writeDirectly(new IntegrationConfig(legacyId, ws, IntegrationKind.webhook, "Legacy", true, Map.of(), "ep1",
                    List.of(new WebhookEndpointConfig("ep1", "ep1", "https://hooks.example.com/b", null, null,
                            Map.of("X-Api-Key", "legacy-key-123"),
                            List.of(a.seal(previousSigningSecret, SecretPurposes.signing(ws, legacyId, "ep1"))), true, null, null)),
                    List.of(), Map.of(), Map.of(), 1, Instant.now(), Instant.now()));
        }
        assertThat(keyIdsOnTopic()).containsOnly("keyA");

        try (var app = start(KEY_B + "," + KEY_A)) {
            ApiTestClient api = client(app);
            String workspaceKey = JSON.readTree(api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                    "{\"name\":\"tenant\"}", null).body()).get("key").asString("");
            var tenant = api.call("POST", "/admin/secrets:reseal", workspaceKey, null, null);
            assertThat(tenant.statusCode()).isEqualTo(403);
            assertThat(api.call("POST", "/admin/secrets:reseal", null, null, null).statusCode()).isEqualTo(401);

            var resealed = api.call("POST", "/admin/secrets:reseal", ADMIN_KEY, null, null);
            assertThat(resealed.statusCode()).as(resealed.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(resealed.body());
            assertThat(report.get("activeKeyId").asString("")).isEqualTo("keyB");
            assertThat(report.get("integrationsRewritten").asInt(0)).isEqualTo(3);
            assertThat(report.get("failed")).isEmpty();
            // nothing left to do the second time
            var again = JSON.readTree(api.call("POST", "/admin/secrets:reseal", ADMIN_KEY, null, null).body());
            assertThat(again.get("integrationsRewritten").asInt(0)).isZero();
            // storage only: the API's version (ETag) did not move
            assertThat(JSON.readTree(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + webhookId,
                    ADMIN_KEY, null, null).body()).get("version").asInt(0)).isEqualTo(2);
        }
        assertThat(latestKeyIds()).containsOnly("keyB");

        try (var app = start(KEY_B)) {
            SecretBox b = app.getBean(SecretBox.class);
            ConfigView view = app.getBean(ConfigView.class);
            IntegrationConfig webhook = view.integration(ws, webhookId).orElseThrow();
            WebhookEndpointConfig ep = (WebhookEndpointConfig) webhook.channels().getFirst();
            assertThat(ep.signingSecrets().stream().map(s -> b.open(s, SecretPurposes.signing(ws, webhookId, "ep1"))))
                    .containsExactly(newestSigningSecret, previousSigningSecret);
            assertThat(ep.previousSigningSecretsExpireAt()).isNotNull();
            assertThat(b.open(ep.sealedHeaders().get("Authorization"),
                    SecretPurposes.header(ws, webhookId, "ep1", "Authorization"))).isEqualTo(TOKEN);

            IntegrationService integrations = app.getBean(IntegrationService.class);
            assertThat(integrations.openCredential(view.integration(ws, slackId).orElseThrow(), "bot_token"))
                    .contains(BOT_TOKEN);

            WebhookEndpointConfig legacy = (WebhookEndpointConfig) view.integration(ws, legacyId).orElseThrow()
                    .channels().getFirst();
            assertThat(legacy.headers()).isEmpty();
            assertThat(b.open(legacy.sealedHeaders().get("X-Api-Key"),
                    SecretPurposes.header(ws, legacyId, "ep1", "X-Api-Key"))).isEqualTo("legacy-key-123");
        }
    }

    private static ConfigurableApplicationContext start(String keys) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("connectors.kafka.bootstrap-servers", TestInfrastructure.bootstrapServers());
        properties.put("connectors.schema-registry.url", TestInfrastructure.schemaRegistryUrl());
        properties.put("connectors.config.topic", TOPIC);
        properties.put("connectors.config.writer-transactional-id", "reseal-test-" + UUID.randomUUID());
        properties.put("connectors.secrets.keys", keys);
        properties.put("connectors.security.admin-api-key", ADMIN_KEY);
        properties.put("server.address", "127.0.0.1");
        properties.put("server.port", "0");
        // as command-line arguments: they win over application.yml (builder properties would not)
        return new SpringApplicationBuilder(IntegrationApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }

    private static ApiTestClient client(ConfigurableApplicationContext app) {
        return new ApiTestClient(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    private static void writeDirectly(IntegrationConfig record) throws Exception {
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, new ConfigKey(ConfigKey.INTEGRATION, record.workspaceId(),
                    record.id()).toString(), ConfigCodec.encode(record))).get();
        }
    }

    /** Key ids named by every record on the topic. */
    private static List<String> keyIdsOnTopic() {
        return ApiTestClient.records(TOPIC).stream().filter(r -> r.value() != null)
                .flatMap(r -> keyIds(new String(r.value(), StandardCharsets.UTF_8)).stream()).toList();
    }

    /** Key ids named by the newest record of each key: what a reader holds once compaction ran. */
    private static List<String> latestKeyIds() {
        Map<String, String> latest = new HashMap<>();
        ApiTestClient.records(TOPIC).forEach(r -> latest.put(r.key(), r.value() == null ? ""
                : new String(r.value(), StandardCharsets.UTF_8)));
        return latest.values().stream().flatMap(v -> keyIds(v).stream()).toList();
    }

    private static List<String> keyIds(String json) {
        return java.util.regex.Pattern.compile("\"keyId\":\"([^\"]+)\"").matcher(json).results()
                .map(m -> m.group(1)).toList();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
