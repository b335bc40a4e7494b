package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.testsupport.TestInfrastructure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CloudEvents 1.0 at ingest, sent by the CloudEvents Java SDK (an independent client): structured, binary and batch
 * mode, what lands on the topic, and the answers to what ingest refuses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CloudEventsIngestTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonFormat FORMAT = new JsonFormat();
    private static TopicProbe topic;
    private static String tenantKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TopicProbe.useTestInfrastructure(registry);
    }

    @BeforeAll
    static void createTopic() {
        topic = TopicProbe.platformEvents();
        tenantKey = WorkspaceKeys.create("ws_ce_tenant", "key_ce", "events:write");
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;

    private static CloudEventBuilder report(String id, String workspace) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withType("report.completed")
                .withSource(URI.create("https://reports.example.com/scheduler"))
                .withTime(OffsetDateTime.parse("2026-12-01T08:15:30.250+01:00"))
                .withSubject("Weekly revenue report finished")
                .withDataContentType("application/json")
                .withData("""
                        {"reportId": "r-42", "reportName": "Weekly revenue", "rowCount": 1200}"""
                        .getBytes(StandardCharsets.UTF_8))
                .withExtension("workspaceid", workspace)
                .withExtension("team", "finance");
    }

    @Test
    void structuredModeMapsEveryAttributeOntoTheEvent() {
        String id = UUID.randomUUID().toString();
        Map<TopicPartition, Long> before = topic.endOffsets();

        HttpResponse<String> response = sendStructured(report(id, "ws_ce_structured")
                .withExtension("link", "https://app.example.com/reports/r-42").build(), IngestClient.OPERATOR_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).path("eventId").asString("")).isEqualTo(id);
        ConsumerRecord<String, PlatformEvent> record = topic.recordsAfter(before, 1).get(0);
        assertThat(record.key()).isEqualTo("ws_ce_structured");
        PlatformEvent event = record.value();
        assertThat(event.getEventId()).isEqualTo(id);
        assertThat(event.getType()).isEqualTo("report.completed");
        assertThat(event.getSource()).isEqualTo("https://reports.example.com/scheduler");
        assertThat(event.getOccurredAt()).isEqualTo(java.time.Instant.parse("2026-12-01T07:15:30.250Z"));
        assertThat(event.getSummary()).isEqualTo("Weekly revenue report finished");
        assertThat(event.getLink()).isEqualTo("https://app.example.com/reports/r-42");
        assertThat(event.getLevel()).isEqualTo(Level.info);
        assertThat(event.getAttributes()).isEqualTo(Map.of("team", "finance", "subject",
                "Weekly revenue report finished"));
        assertThat(event.getPayload()).isEqualTo(ReportCompleted.newBuilder().setReportId("r-42")
                .setReportName("Weekly revenue").setRowCount(1200L).build());
    }

    @Test
    void binaryModeTakesTheAttributesFromCeHeadersAndTheBodyAsData() {
        Map<TopicPartition, Long> before = topic.endOffsets();
        CloudEvent event = CloudEventBuilder.v1()
                .withId("invoice-7-paid") // not a UUID: becomes the name-based UUID of source + id
                .withType("billing.invoice_paid")
                .withSource(URI.create("/billing"))
                .withDataContentType("application/json")
                .withData("{\"invoice\": \"INV-7\", \"amountCents\": 1250}".getBytes(StandardCharsets.UTF_8))
                .withExtension("workspaceid", "ws_ce_binary")
                .withExtension("level", "warning")
                .withExtension("summary", "Invoice INV-7 paid")
                .withExtension("attempt", 3)
                .build();

        HttpResponse<String> first = sendBinary(event, IngestClient.OPERATOR_KEY);
        HttpResponse<String> again = sendBinary(event, IngestClient.OPERATOR_KEY);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String expectedId = UUID.nameUUIDFromBytes("/billing\ninvoice-7-paid".getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(json(first).path("eventId").asString("")).isEqualTo(expectedId);
        assertThat(json(again).path("eventId").asString("")).as("a re-sent CloudEvent keeps its id").isEqualTo(expectedId);
        PlatformEvent published = topic.recordsAfter(before, 2).get(0).value();
        assertThat(published.getWorkspaceId()).isEqualTo("ws_ce_binary");
        assertThat(published.getLevel()).isEqualTo(Level.warning);
        assertThat(published.getSummary()).isEqualTo("Invoice INV-7 paid");
        assertThat(published.getAttributes()).isEqualTo(Map.of("attempt", "3"));
        assertThat(((GenericPayload) published.getPayload()).getJson())
                .isEqualTo("{\"invoice\":\"INV-7\",\"amountCents\":1250}");
    }

    @Test
    void binaryHeaderValuesArePercentDecoded() {
        // the HTTP binding percent-encodes what is not printable ASCII (the SDK's 4.0.1 writer leaves that to the caller)
        Map<TopicPartition, Long> before = topic.endOffsets();
        Map<String, String> headers = new LinkedHashMap<>();
        HttpMessageFactory.createWriter(headers::put, body -> { }).writeBinary(report(UUID.randomUUID().toString(),
                "ws_ce_binary").build());
        headers.put("ce-summary", "Report%20%E2%80%9CRevenue%E2%80%9D%20finished%20%E2%9C%93");
        HttpResponse<String> response = post("/v1/events", headers,
                "{\"reportId\": \"r-1\", \"reportName\": \"Revenue\"}".getBytes(StandardCharsets.UTF_8),
                IngestClient.OPERATOR_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(topic.recordsAfter(before, 1).get(0).value().getSummary())
                .isEqualTo("Report \u201cRevenue\u201d finished \u2713");

        headers.put("ce-summary", "broken%E2%80");
        HttpResponse<String> broken = post("/v1/events", headers, "{}".getBytes(StandardCharsets.UTF_8),
                IngestClient.OPERATOR_KEY);
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(json(broken).path("errors")).extracting(e -> e.path("field").asString("")).contains("summary");
    }

    @Test
    void batchModePublishesAllOrNothing() {
        Map<TopicPartition, Long> before = topic.endOffsets();
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        HttpResponse<String> accepted = sendBatch(List.of(report(a, "ws_ce_batch").build(),
                report(b, "ws_ce_batch").build()), IngestClient.OPERATOR_KEY);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(json(accepted).path("eventIds")).extracting(JsonNode::asText).containsExactly(a, b);
        assertThat(topic.recordsAfter(before, 2)).extracting(r -> r.value().getEventId()).containsExactly(a, b);

        long end = topic.totalEnd();
        HttpResponse<String> refused = sendBatch(List.of(report(UUID.randomUUID().toString(), "ws_ce_batch").build(),
                report(UUID.randomUUID().toString(), "acme").withType("Report Completed").build()),
                IngestClient.OPERATOR_KEY);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(json(refused).path("errors")).extracting(e -> e.path("field").asString(""))
                .containsExactlyInAnyOrder("[1].type", "[1].workspaceid");
        assertThat(topic.totalEnd()).as("nothing published").isEqualTo(end);
    }

    @Test
    void aCloudEventsBatchHasTheSameEventCountLimitAsOurBatch() {
        long end = topic.totalEnd();
        List<CloudEvent> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i < 501; i++) { // ingest.max-batch-events is 500, as IngestApiTest shows for our batch
            tooMany.add(report(UUID.randomUUID().toString(), "ws_ce_batch").build());
        }
        HttpResponse<String> refused = sendBatch(tooMany, IngestClient.OPERATOR_KEY);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(json(refused).path("errors").get(0).path("problem").asString(""))
                .isEqualTo("must contain at most 500 events, had 501; split the batch");

        HttpResponse<String> empty = post("/v1/events:batch", Map.of("Content-Type",
                "application/cloudevents-batch+json"), "[]".getBytes(StandardCharsets.UTF_8), IngestClient.OPERATOR_KEY);
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(json(empty).path("errors").get(0).path("problem").asString(""))
                .isEqualTo("must contain at least one event");

        // the HTTP binding sends batches to the single-event URL too: its smaller body limit holds there
        HttpResponse<String> atEventsUrl = post("/v1/events", Map.of("Content-Type",
                "application/cloudevents-batch+json"), batchBody(tooMany), IngestClient.OPERATOR_KEY);
        assertThat(atEventsUrl.statusCode()).isEqualTo(413);
        assertThat(atEventsUrl.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(atEventsUrl).path("reason").asString("")).isEqualTo("too_large");
        assertThat(topic.totalEnd()).as("nothing published").isEqualTo(end);
    }

    @Test
    void invalidCloudEventsGetProblemsNamingTheirAttributes() {
        CloudEvent noWorkspace = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withType("sync.failed")
                .withSource(URI.create("/sync")).withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .withTime(OffsetDateTime.parse("2026-12-01T08:00:00Z")).build();
        HttpResponse<String> response = sendStructured(noWorkspace, IngestClient.OPERATOR_KEY);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("errors")).extracting(e -> e.path("field").asString(""))
                .contains("workspaceid", "summary", "data.sourceId");

        CloudEvent notJson = report(UUID.randomUUID().toString(), "ws_ce_x")
                .withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8)).build();
        HttpResponse<String> binary = sendBinary(notJson, IngestClient.OPERATOR_KEY);
        assertThat(binary.statusCode()).isEqualTo(415);
        assertThat(binary.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void aWorkspaceKeyMaySendCloudEventsOnlyForItsWorkspace() {
        HttpResponse<String> own = sendStructured(report(UUID.randomUUID().toString(), "ws_ce_tenant").build(), tenantKey);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        HttpResponse<String> other = sendBinary(report(UUID.randomUUID().toString(), "ws_someone_else").build(),
                tenantKey);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(other).path("detail").asString("")).contains("cannot send events for workspace ws_someone_else");
        HttpResponse<String> anonymous = sendStructured(report(UUID.randomUUID().toString(), "ws_ce_tenant").build(), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    // ---- the SDK writing HTTP requests ----

    private HttpResponse<String> sendStructured(CloudEvent event, String apiKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter(headers::put, body::writeBytes).writeStructured(event, FORMAT);
        return post("/v1/events", headers, body.toByteArray(), apiKey);
    }

    private HttpResponse<String> sendBinary(CloudEvent event, String apiKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter(headers::put, body::writeBytes).writeBinary(event);
        return post("/v1/events", headers, body.toByteArray(), apiKey);
    }

    /** The batch format: a JSON array of the SDK's structured JSON serializations. */
    private HttpResponse<String> sendBatch(List<CloudEvent> events, String apiKey) {
        return post("/v1/events:batch", Map.of("Content-Type", "application/cloudevents-batch+json"),
                batchBody(events), apiKey);
    }

    private static byte[] batchBody(List<CloudEvent> events) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(FORMAT.serialize(events.get(i)));
        }
        body.write(']');
        return body.toByteArray();
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
