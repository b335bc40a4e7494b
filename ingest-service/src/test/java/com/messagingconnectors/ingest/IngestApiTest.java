package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.json;
import static com.messagingconnectors.ingest.IngestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The HTTP API against a real broker and schema registry: what a client sees and what lands on the topic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class IngestApiTest {
    private static final String ACCEPTED_LOGGER = "com.messagingconnectors.ingest.accepted";
    private static TopicProbe topic;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("ingest.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("ingest.schema-registry-url", TestInfrastructure::schemaRegistryUrl);
    }

    @BeforeAll
    static void createTopic() {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        topic = new TopicProbe(Topics.PLATFORM_EVENTS);
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;
    @Autowired
    LoggingSystem logging;
    IngestClient client;

    @BeforeEach
    void client() {
        client = new IngestClient(port);
    }

    private static String reportEvent(String extraFields) {
        return q("""
                {%s'type': 'report.completed', 'workspaceId': 'ws_acme', 'summary': 'Weekly revenue is ready',
                 'payload': {'reportId': 'rep_1', 'reportName': 'Weekly revenue', 'rowCount': 1200}}"""
                .formatted(extraFields));
    }

    @Test
    void acceptedEventIsOnTheTopicKeyedByWorkspaceWithItsContent() {
        String id = UUID.randomUUID().toString();
        Map<TopicPartition, Long> before = topic.endOffsets();

        HttpResponse<String> response = client.postJson("/v1/events", reportEvent(q("""
                'id': '%s', 'occurredAt': '2026-03-01T12:00:00Z', 'link': 'https://app.example.com/r/1',
                'source': 'reporting', 'attributes': {'team': 'finance'},""").formatted(id)));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response)).isEqualTo(IngestClient.JSON.createObjectNode().put("eventId", id));
        ConsumerRecord<String, PlatformEvent> record = topic.recordsAfter(before, 1).get(0);
        assertThat(record.key()).isEqualTo("ws_acme");
        PlatformEvent event = record.value();
        assertThat(event.getEventId()).isEqualTo(id);
        assertThat(event.getType()).isEqualTo("report.completed");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(event.getLevel()).isEqualTo(Level.info);
        assertThat(event.getSummary()).isEqualTo("Weekly revenue is ready");
        assertThat(event.getLink()).isEqualTo("https://app.example.com/r/1");
        assertThat(event.getSource()).isEqualTo("reporting");
        assertThat(event.getAttributes()).isEqualTo(Map.of("team", "finance"));
        assertThat(event.getPayload()).isEqualTo(ReportCompleted.newBuilder()
                .setReportId("rep_1").setReportName("Weekly revenue").setRowCount(1200L).build());
    }

    @Test
    void acceptedEventsAreLoggedOneByOneOnlyWhenItsLoggerIsAtDebug(CapturedOutput output) {
        String quiet = UUID.randomUUID().toString();
        assertThat(client.postJson("/v1/events", reportEvent(q("'id': '%s',").formatted(quiet))).statusCode())
                .isEqualTo(202);
        assertThat(output.getOut()).doesNotContain(quiet);

        logging.setLogLevel(ACCEPTED_LOGGER, LogLevel.DEBUG);
        try {
            String logged = UUID.randomUUID().toString();
            assertThat(client.postJson("/v1/events", reportEvent(q("'id': '%s',").formatted(logged))).statusCode())
                    .isEqualTo(202);
            assertThat(output.getOut()).contains("accepted event " + logged + " type=report.completed workspace=ws_acme");
        } finally {
            logging.setLogLevel(ACCEPTED_LOGGER, null);
        }
    }

    @Test
    void eventWithoutIdGetsOneGenerated() {
        Map<TopicPartition, Long> before = topic.endOffsets();

        HttpResponse<String> response = client.postJson("/v1/events", reportEvent(""));

        assertThat(response.statusCode()).isEqualTo(202);
        String id = json(response).get("eventId").stringValue(null);
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(topic.recordsAfter(before, 1).get(0).value().getEventId()).isEqualTo(id);
    }

    @Test
    void batchOverTheSingleEventLimitIsAcceptedUpToTheBatchLimit() {
        long before = topic.totalEnd();
        String batch = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(500,
                reportEvent("'source': '" + "s".repeat(200) + "',"))) + "]}";
        assertThat(batch.length()).isBetween(64 * 1024, 1024 * 1024);

        HttpResponse<String> response = client.postJson("/v1/events:batch", batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(topic.totalEnd()).isEqualTo(before + 500);
    }

    @Test
    void batchIsPublishedAtTheColonPathInOrderPerWorkspace() {
        Map<TopicPartition, Long> before = topic.endOffsets();
        String batch = q("""
                {'events': [
                  {'type': 'user.invited', 'workspaceId': 'ws_batch', 'summary': 'one',
                   'payload': {'userEmail': 'a@example.com', 'invitedBy': 'b@example.com'}},
                  {'type': 'billing.invoice_paid', 'workspaceId': 'ws_batch', 'summary': 'two',
                   'payload': {'invoiceId': 'inv_1'}},
                  {'type': 'user.deactivated', 'workspaceId': 'ws_batch', 'summary': 'three',
                   'payload': {'userEmail': 'a@example.com', 'deactivatedBy': 'b@example.com'}}]}""");

        HttpResponse<String> response = client.postJson("/v1/events:batch", batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        json(response).get("eventIds").forEach(id -> ids.add(id.stringValue(null)));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        List<ConsumerRecord<String, PlatformEvent>> records = topic.recordsAfter(before, 3);
        assertThat(records).extracting(r -> r.value().getEventId()).containsExactlyElementsOf(ids);
        assertThat(records).extracting(r -> r.value().getSummary()).containsExactly("one", "two", "three");
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("ws_batch");
    }

    @Test
    void batchWithOneInvalidEventIsRejectedWhole() {
        long before = topic.totalEnd();
        String batch = q("""
                {'events': [
                  {'type': 'user.invited', 'workspaceId': 'ws_batch', 'summary': 'ok',
                   'payload': {'userEmail': 'a@example.com', 'invitedBy': 'b@example.com'}},
                  {'type': 'user.invited', 'workspaceId': 'ws_batch', 'summary': '',
                   'payload': {'userEmail': 'a@example.com'}}]}""");

        HttpResponse<String> response = client.postJson("/v1/events:batch", batch);

        assertProblem(response, 422, "invalid");
        assertThat(fields(response)).containsExactly("events[1].summary", "events[1].payload.invitedBy");
        assertThat(json(response).get("detail").stringValue(null)).contains("1 of 2", "nothing was published");
        assertThat(topic.totalEnd()).isEqualTo(before);
    }

    static Stream<Arguments> badRequests() {
        String event = reportEvent("");
        String tinyEvent = q("{'type':'a.b','workspaceId':'ws_a','summary':'s','payload':{}}");
        String overLimitBatch = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(501, tinyEvent)) + "]}";
        String hugeBatch = "{\"events\":[" + reportEvent("'source': '" + "x".repeat(1_100_000) + "',") + "]}";
        return Stream.of(
                Arguments.of("malformed JSON", "/v1/events", "application/json", "{\"type\": \"a.b\",", 400,
                        "malformed", null),
                Arguments.of("duplicate field", "/v1/events", "application/json",
                        q("{'type': 'a.b', 'type': 'c.d'}"), 400, "malformed", null),
                Arguments.of("empty body", "/v1/events", "application/json", "", 400, "malformed", null),
                Arguments.of("text/plain", "/v1/events", "text/plain", event, 415, "unsupported_media_type", null),
                Arguments.of("no content type", "/v1/events", null, event, 415, "unsupported_media_type", null),
                Arguments.of("event over 64 KiB", "/v1/events", "application/json",
                        reportEvent("'source': '" + "x".repeat(70_000) + "',"), 413, "too_large", null),
                Arguments.of("missing summary", "/v1/events", "application/json",
                        q("{'type': 'a.b', 'workspaceId': 'ws_a', 'payload': {}}"), 422, "invalid", "summary"),
                Arguments.of("unknown field", "/v1/events", "application/json", reportEvent("'severity': 'high',"),
                        422, "invalid", "severity"),
                Arguments.of("bad workspace id", "/v1/events", "application/json",
                        event.replace("ws_acme", "acme"), 422, "invalid", "workspaceId"),
                Arguments.of("mistyped payload field", "/v1/events", "application/json",
                        event.replace("1200", "\"1200\""), 422, "invalid", "payload.rowCount"),
                Arguments.of("unknown payload field", "/v1/events", "application/json",
                        event.replace("\"rowCount\"", "\"rows\""), 422, "invalid", "payload.rows"),
                Arguments.of("not an object", "/v1/events", "application/json", "[1,2]", 422, "invalid", ""),
                Arguments.of("empty batch", "/v1/events:batch", "application/json", "{\"events\": []}", 422,
                        "invalid", "events"),
                Arguments.of("batch over 500 events", "/v1/events:batch", "application/json", overLimitBatch, 422,
                        "invalid", "events"),
                Arguments.of("batch as bare array", "/v1/events:batch", "application/json", "[" + event + "]", 422,
                        "invalid", ""),
                Arguments.of("batch over 1 MiB", "/v1/events:batch", "application/json", hugeBatch, 413,
                        "too_large", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAProblemNamingItAndNothingIsProduced(String name, String path, String contentType, String body,
                                                          int status, String reason, String field) {
        long before = topic.totalEnd();

        HttpResponse<String> response = client.post(path, contentType, body);

        assertProblem(response, status, reason);
        if (field != null) {
            assertThat(fields(response)).contains(field);
        }
        assertThat(topic.totalEnd()).isEqualTo(before);
    }

    @Test
    void problemsSayWhatIsWrongInWords() {
        HttpResponse<String> malformed = client.postJson("/v1/events", "{\"type\": \"a.b\",\n \"summary\" 1}");
        assertThat(json(malformed).get("detail").stringValue(null)).startsWith("the request body is not valid JSON at line 2");

        HttpResponse<String> tooMany = client.postJson("/v1/events:batch", "{\"events\": "
                + "[" + String.join(",", java.util.Collections.nCopies(501, "{}")) + "]}");
        assertThat(json(tooMany).get("errors").get(0).get("problem").stringValue(null))
                .isEqualTo("must contain at most 500 events, had 501; split the batch");

        HttpResponse<String> workspace = client.postJson("/v1/events", reportEvent("").replace("ws_acme", "acme"));
        assertThat(json(workspace).get("errors")).containsExactly(IngestClient.JSON.createObjectNode()
                .put("field", "workspaceId")
                .put("problem", "must be 'ws_' followed by 1 to 60 letters, digits, '_' or '-', e.g. ws_acme"));

        HttpResponse<String> plain = client.post("/v1/events", "text/plain", "hello");
        assertThat(plain.headers().firstValue("Accept-Post")).hasValue("application/json");
    }

    @Test
    void unknownPathAndWrongMethodAreProblemsToo() {
        // a route no one declared is denied before any handler looks for it (deny by default)
        HttpResponse<String> notFound = client.postJson("/v1/nothing", "{}");
        assertThat(notFound.statusCode()).isEqualTo(403);
        assertThat(notFound.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(notFound).get("detail").asString("")).contains("no route POST /v1/nothing");

        HttpResponse<String> get = client.get("/v1/events");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(json(get).get("status").intValue()).isEqualTo(405);
    }

    @Test
    void acceptedAndRejectedEventsAreCounted() {
        double accepted = count("accepted", "none", "report.completed");
        double invalid = count("rejected", "invalid", "report.completed");
        double malformed = count("rejected", "malformed", "unknown");

        client.postJson("/v1/events", reportEvent(""));
        client.postJson("/v1/events", reportEvent("").replace("ws_acme", "acme"));
        client.postJson("/v1/events", "{");

        assertThat(count("accepted", "none", "report.completed")).isEqualTo(accepted + 1);
        assertThat(count("rejected", "invalid", "report.completed")).isEqualTo(invalid + 1);
        assertThat(count("rejected", "malformed", "unknown")).isEqualTo(malformed + 1);
        HttpResponse<String> scrape = client.get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains(
                "connectors_ingest_events_total{outcome=\"accepted\",reason=\"none\",type=\"report.completed\"}");
    }

    @Test
    void requestsAreObservedOnceNotPerSecurityFilter() {
        assertThat(client.postJson("/v1/events", reportEvent("")).statusCode()).isEqualTo(202);

        assertThat(meters.find("http.server.requests").tag("uri", "/v1/events").timer()).isNotNull();
        // no observation per security filter, per chain or per authorization decision: they cost a sixth of the CPU
        assertThat(meters.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("spring.security."));
    }

    @Test
    void healthProbesAreUp() {
        // readiness comes up once the publisher has fetched the topic's partitions and the schema id
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
                HttpResponse<String> response = client.get(probe);
                assertThat(response.statusCode()).as(probe).isEqualTo(200);
                assertThat(json(response).get("status").stringValue(null)).as(probe).isEqualTo("UP");
            }
        });
    }

    private double count(String outcome, String reason, String type) {
        var counter = meters.find(IngestMetrics.EVENTS)
                .tags("outcome", outcome, "reason", reason, "type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    static void assertProblem(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("reason").stringValue(null)).isEqualTo(reason);
        assertThat(problem.get("title").stringValue(null)).isNotBlank();
        assertThat(problem.get("detail").stringValue(null)).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    static List<String> fields(HttpResponse<String> response) {
        List<String> fields = new ArrayList<>();
        JsonNode errors = json(response).get("errors");
        if (errors != null) {
            errors.forEach(e -> fields.add(e.get("field").stringValue(null)));
        }
        return fields;
    }
}
