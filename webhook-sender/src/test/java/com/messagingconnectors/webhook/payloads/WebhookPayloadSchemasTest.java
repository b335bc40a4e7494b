package com.messagingconnectors.webhook.payloads;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.EventJson;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schemas of the webhook bodies (schemas/src/main/resources/webhook-payloads) describe exactly
 * what the sender posts: {@link EventJson#toWebhookJson} output for every event type, with all optional fields and
 * with none, validates against its schema (draft 2020-12, networknt validator), and bodies that break the contract
 * do not.
 */
class WebhookPayloadSchemasTest {
    /** The repository's copy, the one the README links to (the schemas jar carries the same files). */
    private static final Path SCHEMA_DIR = Path.of(System.getProperty("webhook.payload.schemas",
            "../schemas/src/main/resources/webhook-payloads"));
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("report.completed", "report.completed",
                        Map.of("reportId", "rep_1", "reportName", "Weekly revenue", "rowCount", 1200,
                                "durationMs", 5300, "downloadUrl", "https://app.example.com/r/1.csv"),
                        Map.of("reportId", "rep_1", "reportName", "Weekly revenue")),
                Arguments.of("sync.failed", "sync.failed",
                        Map.of("sourceId", "src_9", "sourceName", "Salesforce", "connector", "salesforce",
                                "errorMessage", "token expired", "attempt", 3),
                        Map.of("sourceId", "src_9", "sourceName", "Salesforce", "errorMessage", "token expired")),
                Arguments.of("user.invited", "user.invited",
                        Map.of("userEmail", "ada@example.com", "invitedBy", "grace@example.com", "role", "admin"),
                        Map.of("userEmail", "ada@example.com", "invitedBy", "grace@example.com")),
                Arguments.of("user.deactivated", "user.deactivated",
                        Map.of("userEmail", "ada@example.com", "deactivatedBy", "grace@example.com", "reason", "left"),
                        Map.of("userEmail", "ada@example.com", "deactivatedBy", "grace@example.com")),
                Arguments.of("alert.triggered", "alert.triggered",
                        Map.of("alertId", "al_7", "alertName", "CPU high", "metric", "cpu.usage", "comparator", ">=",
                                "threshold", 0.9, "value", 0.97),
                        Map.of("alertId", "al_7", "alertName", "CPU high", "metric", "cpu.usage", "comparator", ">",
                                "threshold", 1, "value", 2)),
                Arguments.of("alert.resolved", "alert.resolved",
                        Map.of("alertId", "al_7", "alertName", "CPU high", "resolvedAt", "2026-03-01T12:05:00Z",
                                "value", 0.42),
                        Map.of("alertId", "al_7")),
                Arguments.of("generic", "invoice.paid",
                        Map.of("invoiceId", "inv_1", "amount", Map.of("value", 12.5, "currency", "EUR"),
                                "lines", List.of(1, 2)),
                        Map.of()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("events")
    void everyWebhookBodyValidatesAgainstItsPublishedSchema(String schemaName, String type, Map<String, Object> fullPayload,
            Map<String, Object> minimalPayload) throws Exception {
        Schema schema = schema(schemaName);

        ObjectNode full = event(type, fullPayload);
        full.put("level", "warning");
        full.put("link", "https://app.example.com/items/42");
        full.put("source", "reporting-service");
        full.putObject("attributes").put("team", "analytics").put("region", "eu");
        JsonNode fullBody = EventJson.toWebhookJson(EventJson.fromJson(full));
        JsonNode minimalBody = EventJson.toWebhookJson(EventJson.fromJson(event(type, minimalPayload)));

        assertThat(errors(schema, fullBody)).as("%s", fullBody).isEmpty();
        assertThat(errors(schema, minimalBody)).as("%s", minimalBody).isEmpty();
        assertThat(minimalBody.get("data").has("link")).isFalse();
    }

    @Test
    void everyTypedEventTypeHasItsSchema() {
        for (String type : EventJson.typedEventTypes()) {
            assertThat(SCHEMA_DIR.resolve(type + ".schema.json")).as("schema of %s", type).isRegularFile();
        }
        assertThat(SCHEMA_DIR.resolve("generic.schema.json")).isRegularFile();
        assertThat(SCHEMA_DIR.resolve("digest.schema.json")).isRegularFile();
    }

    @Test
    void aDigestBodyValidatesAgainstTheDigestSchemaAndItsTypesSchema() throws Exception {
        JsonNode digestBody = EventJson.toWebhookJson(digestNotification());
        JsonNode unlabelled = EventJson.toWebhookJson(digestNotification());
        ((ObjectNode) unlabelled.get("digest")).remove("groupLabel");

        for (JsonNode body : List.of(digestBody, unlabelled)) {
            assertThat(errors(schema("digest"), body)).as("%s", body).isEmpty();
            assertThat(errors(schema("sync.failed"), body)).as("%s", body).isEmpty();
        }
        assertThat(digestBody.get("digest").get("eventIds")).hasSize(3);
        assertThat(digestBody.get("digest").get("firstOccurredAt").asString("")).isEqualTo("2026-03-01T11:55:00.000Z");
        // a plain event body is not a digest
        JsonNode plain = EventJson.toWebhookJson(EventJson.fromJson(event("sync.failed",
                Map.of("sourceId", "src_9", "sourceName", "Salesforce", "errorMessage", "token expired"))));
        assertThat(plain.has("digest")).isFalse();
        assertThat(errors(schema("digest"), plain)).isNotEmpty();
    }

    @Test
    void brokenDigestsAreRejected() throws Exception {
        ObjectNode body = (ObjectNode) EventJson.toWebhookJson(digestNotification());
        ObjectNode noIds = body.deepCopy();
        ((ObjectNode) noIds.get("digest")).remove("eventIds");
        ObjectNode badReason = body.deepCopy();
        ((ObjectNode) badReason.get("digest")).put("reason", "bundled");
        ObjectNode badId = body.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) badId.get("digest").get("eventIds")).add("not-a-uuid");
        ObjectNode repeatedId = body.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) repeatedId.get("digest").get("eventIds"))
                .add(body.get("digest").get("eventIds").get(0).asString(""));
        ObjectNode extra = body.deepCopy();
        ((ObjectNode) extra.get("digest")).put("secret", "x");

        for (JsonNode broken : List.of(noIds, badReason, badId, repeatedId, extra)) {
            assertThat(errors(schema("digest"), broken)).as("%s", broken).isNotEmpty();
        }
    }

    private static com.messagingconnectors.schemas.avro.Notification digestNotification() {
        var event = EventJson.fromJson(event("sync.failed",
                Map.of("sourceId", "src_9", "sourceName", "pg-prod", "errorMessage", "connection refused")));
        List<String> ids = List.of("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
                event.getEventId());
        var digest = com.messagingconnectors.schemas.avro.Digest.newBuilder().setGroupKey("rule-1|pg-prod")
                .setGroupLabel("sync.failed, pg-prod").setReason("grouped").setCount(ids.size()).setEventIds(ids)
                .setFirstOccurredAt(java.time.Instant.parse("2026-03-01T11:55:00Z"))
                .setLastOccurredAt(event.getOccurredAt()).setSamples(List.of("pg-prod: connection refused")).build();
        return com.messagingconnectors.schemas.avro.Notification.newBuilder().setNotificationId("n-1")
                .setChannel("webhook").setDestination(new com.messagingconnectors.schemas.avro.Destination(
                        "int-1/e0", "int-1", "e0"))
                .setRoutedAt(java.time.Instant.now()).setEvent(event).setDigest(digest).build();
    }

    @Test
    void bodiesThatBreakTheContractAreRejected() throws Exception {
        Schema schema = schema("report.completed");
        ObjectNode body = (ObjectNode) EventJson.toWebhookJson(EventJson.fromJson(
                event("report.completed", Map.of("reportId", "rep_1", "reportName", "Weekly"))));

        ObjectNode wrongType = body.deepCopy().put("type", "sync.failed");
        ObjectNode missingField = body.deepCopy();
        ((ObjectNode) missingField.get("data").get("payload")).remove("reportName");
        ObjectNode extraField = body.deepCopy();
        ((ObjectNode) extraField.get("data")).put("secret", "x");
        ObjectNode badLevel = body.deepCopy();
        ((ObjectNode) badLevel.get("data")).put("level", "critical");
        ObjectNode badTimestamp = body.deepCopy().put("timestamp", "yesterday");

        for (JsonNode broken : List.of(wrongType, missingField, extraField, badLevel, badTimestamp)) {
            assertThat(errors(schema, broken)).as("%s", broken).isNotEmpty();
        }
        // a known type must use its own schema, not the generic one
        assertThat(errors(schema("generic"), body)).isNotEmpty();
    }

    private static ObjectNode event(String type, Map<String, Object> payload) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", "3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f");
        event.put("type", type);
        event.put("workspaceId", "ws_acme");
        event.put("occurredAt", "2026-03-01T13:00:00+01:00");
        event.put("summary", "Something happened in " + type);
        event.set("payload", JSON.valueToTree(payload));
        return event;
    }

    private static Schema schema(String name) throws IOException {
        return REGISTRY.getSchema(Files.readString(SCHEMA_DIR.resolve(name + ".schema.json")), InputFormat.JSON);
    }

    private static List<String> errors(Schema schema, JsonNode body) {
        // the validator (networknt 2.x) reads Jackson 2 trees: it gets the JSON text
        return schema.validate(body.toString(), InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
