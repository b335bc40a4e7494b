package com.messagingconnectors.registry;

import static com.messagingconnectors.registry.RegistryHttp.schemaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.registry.RegistryHttp.Answer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Confluent REST subset against a real registry on a real broker: answers and error codes. */
class SchemaRegistryRestApiTest {
    private static final String USER_V1 = """
            {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"}]}""";
    /** v1 plus an optional field: BACKWARD and FORWARD compatible. */
    private static final String USER_V2 = """
            {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"},
             {"name":"email","type":["null","string"],"default":null}]}""";
    /** v1 plus a required field: new readers cannot read old data (not BACKWARD), old readers can read new data. */
    private static final String USER_REQUIRED_NAME = """
            {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"},
             {"name":"name","type":"string"}]}""";

    private static RegistryHttp registry;

    @BeforeAll
    static void startRegistry() {
        registry = new RegistryHttp(TestKafka.registryUrl());
    }

    private static String newSubject() {
        return "rest-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registersLooksUpAndListsVersionsLikeConfluent() {
        String subject = newSubject();

        Answer registered = registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        int id = registered.body().get("id").asInt();
        assertThat(id).isPositive();

        // Idempotent: the same schema again gets the same id and no new version.
        assertThat(registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1)).body().get("id").asInt())
                .isEqualTo(id);
        int id2 = registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V2)).body().get("id").asInt();
        assertThat(id2).isNotEqualTo(id);

        assertThat(registry.get("/subjects").body().toString()).contains("\"" + subject + "\"");
        assertThat(registry.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1,2]");

        Answer latest = registry.get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.body().get("subject").asText()).isEqualTo(subject);
        assertThat(latest.body().get("version").asInt()).isEqualTo(2);
        assertThat(latest.body().get("id").asInt()).isEqualTo(id2);
        assertThat(latest.body().get("schema").asText()).contains("email");
        assertThat(registry.get("/subjects/" + subject + "/versions/1").body().get("id").asInt()).isEqualTo(id);
        assertThat(registry.get("/subjects/" + subject + "/versions/1/schema").body().get("name").asText())
                .isEqualTo("User");

        assertThat(registry.get("/schemas/ids/" + id).body().get("schema").asText()).doesNotContain("email");
        assertThat(registry.get("/schemas/ids/" + id2 + "/schema").body().get("fields").size()).isEqualTo(2);

        Answer lookup = registry.post("/subjects/" + subject, schemaRequest(USER_V1));
        assertThat(lookup.body().get("version").asInt()).isEqualTo(1);
        assertThat(lookup.body().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void theSameSchemaHasTheSameIdInEverySubject() {
        String schema = USER_V1.replace("\"User\"", "\"Shared" + UUID.randomUUID().toString().replace("-", "") + "\"");
        int first = registry.post("/subjects/" + newSubject() + "/versions", schemaRequest(schema)).body().get("id").asInt();
        int second = registry.post("/subjects/" + newSubject() + "/versions", schemaRequest(schema)).body().get("id").asInt();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void answersConfluentErrorCodes() {
        String subject = newSubject();
        registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1));

        assertError(registry.get("/subjects/no-such-subject/versions"), 404, 40401);
        assertError(registry.get("/subjects/no-such-subject/versions/latest"), 404, 40401);
        assertError(registry.get("/subjects/" + subject + "/versions/7"), 404, 40402);
        assertError(registry.get("/schemas/ids/987654"), 404, 40403);
        assertError(registry.post("/subjects/" + subject, schemaRequest(USER_V2)), 404, 40403);
        assertError(registry.post("/subjects/no-such-subject", schemaRequest(USER_V1)), 404, 40401);
        assertError(registry.get("/subjects/" + subject + "/versions/zero"), 422, 42202);
        assertError(registry.get("/subjects/" + subject + "/versions/0"), 422, 42202);

        Answer invalid = registry.post("/subjects/" + subject + "/versions", schemaRequest("{\"type\":\"recor\"}"));
        assertError(invalid, 422, 42201);
        assertThat(invalid.body().get("message").asText()).startsWith("Invalid schema");

        Answer incompatible = registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_REQUIRED_NAME));
        assertError(incompatible, 409, 409);
        assertThat(incompatible.body().get("message").asText())
                .contains("incompatible with an earlier schema for subject \"" + subject + "\"")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("name");

        assertError(registry.put("/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(registry.get("/no-such-path"), 404, 404);
    }

    @Test
    void oversizedBodiesAreRefused() {
        String padding = " ".repeat(RegistryHttpHandler.MAX_BODY_BYTES);
        String huge = schemaRequest(USER_V1.replace("\"User\"", "\"User\"" + padding));

        assertError(registry.post("/subjects/" + newSubject() + "/versions", huge), 413, 413);
        assertError(registry.put("/config", "{\"compatibility\": \"BACKWARD\"" + padding + "}"), 413, 413);
    }

    @Test
    void compatibilityLevelsDecideWhatMayBeRegistered() {
        assertThat(registry.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        String subject = newSubject();
        registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1));
        assertError(registry.get("/config/" + subject), 404, 40408);
        assertThat(registry.get("/config/" + subject + "?defaultToGlobal=true").body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        Answer check = registry.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                schemaRequest(USER_REQUIRED_NAME));
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(check.body().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT");
        assertThat(registry.post("/compatibility/subjects/" + subject + "/versions/1", schemaRequest(USER_V2))
                .body().get("is_compatible").asBoolean()).isTrue();

        // FORWARD: old readers must read new data, so adding a required field is fine, removing one is not.
        assertThat(registry.put("/config/" + subject, "{\"compatibility\":\"FORWARD\"}").body().get("compatibility")
                .asText()).isEqualTo("FORWARD");
        assertThat(registry.get("/config/" + subject).body().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_REQUIRED_NAME)).status())
                .isEqualTo(200);
        assertError(registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1.replace(
                "{\"name\":\"id\",\"type\":\"string\"}", "{\"name\":\"other\",\"type\":[\"null\",\"string\"],\"default\":null}"))),
                409, 409);

        // NONE accepts anything; FULL_TRANSITIVE checks every earlier version in both directions.
        registry.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        assertThat(registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1)).status()).isEqualTo(200);
        registry.put("/config/" + subject, "{\"compatibility\":\"FULL_TRANSITIVE\"}");
        assertThat(registry.post("/compatibility/subjects/" + subject + "/versions", schemaRequest(USER_V2))
                .body().get("is_compatible").asBoolean()).isFalse();

        assertThat(registry.delete("/config/" + subject).body().get("compatibilityLevel").asText())
                .isEqualTo("FULL_TRANSITIVE");
        assertError(registry.get("/config/" + subject), 404, 40408);
    }

    @Test
    void deletedSubjectsDisappearButKeepTheirIds() {
        String subject = newSubject();
        int id = registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1)).body().get("id").asInt();

        assertThat(registry.delete("/subjects/" + subject).body().toString()).isEqualTo("[1]");

        assertError(registry.get("/subjects/" + subject + "/versions"), 404, 40401);
        assertThat(registry.get("/subjects").body().toString()).doesNotContain(subject);
        assertThat(registry.get("/schemas/ids/" + id).status()).isEqualTo(200);
        Answer again = registry.post("/subjects/" + subject + "/versions", schemaRequest(USER_V1));
        assertThat(again.body().get("id").asInt()).isEqualTo(id);
        assertThat(registry.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[2]");
    }

    @Test
    void acceptsPlainJsonAndAnswersHealthProbes() {
        Answer plain = registry.send("POST", "/subjects/" + newSubject() + "/versions", schemaRequest(USER_V1),
                "application/json");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(registry.get("/").body().toString()).isEqualTo("{}");
        assertThat(registry.get("/health").body().toString()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void storesSchemasInTheCompactedSchemasTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            Config config = admin.describeConfigs(java.util.List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static void assertError(Answer answer, int status, int errorCode) {
        assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.errorCode()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
    }
}
