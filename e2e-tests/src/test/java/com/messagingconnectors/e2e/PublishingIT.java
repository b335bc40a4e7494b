package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.testsupport.TestInfrastructure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ways platform services publish, delivered: a service built on connectors-events-spring-boot-starter
 * (examples/reporting-service) runs as its own process, configured only with its README's two lines (as environment
 * variables); CloudEvents in structured and binary mode are posted to ingest-service by the CloudEvents Java SDK.
 * All travel through the run's shared stack (its real router and webhook-sender) to a customer's HTTP endpoint.
 */
class PublishingIT extends OnChatStack {
    private static final String WORKSPACE = "ws_reports_" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebhookReceiver receiver;
    private static ServiceProcess reporting;
    private static String destination;

    @BeforeAll
    static void startTheExampleService() throws Exception {
        receiver = new WebhookReceiver();
        // only what the example's README asks for; no arguments shared with the platform's own services
        reporting = ServiceProcess.start("reporting-service", "reporting-service", List.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestInfrastructure.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", TestInfrastructure.schemaRegistryUrl()));
        reporting.awaitReady(ChatStack.STARTUP);
        destination = receiver.connect(stack.integrations, ChatStack.ADMIN_API_KEY, WORKSPACE);
    }

    @AfterAll
    static void stopTheExampleService() throws Exception {
        if (reporting != null) {
            reporting.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aReportRunInTheExampleServiceArrivesAtTheWebhook() throws Exception {
        HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(
                        reporting.url("/workspaces/" + WORKSPACE + "/reports/r-42/runs?name=Weekly%20revenue"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(run.statusCode()).as("reporting-service: %s", run.body()).isEqualTo(202);
        String eventId = JSON.readTree(run.body()).path("eventId").asString("");

        JsonNode webhook = awaitWebhookFor(eventId);
        assertThat(webhook.path("type").asString("")).isEqualTo("report.completed");
        assertThat(webhook.path("data")).isEqualTo(JSON.readTree("""
                {"eventId": "%s", "workspaceId": "%s", "level": "info",
                 "summary": "Weekly revenue report finished", "link": "https://app.example.com/reports/r-42",
                 "source": "reporting-service",
                 "payload": {"reportId": "r-42", "reportName": "Weekly revenue", "rowCount": 1200}}
                """.formatted(eventId, WORKSPACE)));
        assertThat(receiver.received()).anySatisfy(received -> assertThat(received.headers())
                .containsEntry("webhook-id", NotificationIds.of(eventId, destination)));
    }

    @Test
    void aSyncFailureArrivesAsAWarning() throws Exception {
        HttpResponse<String> failed = HTTP.send(HttpRequest.newBuilder(
                        reporting.url("/workspaces/" + WORKSPACE + "/sources/salesforce-eu/sync-failures"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(failed.statusCode()).as("reporting-service: %s", failed.body()).isEqualTo(202);
        JsonNode webhook = awaitWebhookFor(JSON.readTree(failed.body()).path("eventId").asString(""));
        assertThat(webhook.path("type").asString("")).isEqualTo("sync.failed");
        assertThat(webhook.at("/data/level").asString("")).isEqualTo("warning");
        assertThat(webhook.at("/data/payload/errorMessage").asString("")).isEqualTo("token expired");
    }

    @Test
    void cloudEventsInStructuredAndBinaryModeArriveAtTheWebhook() throws Exception {
        String structuredId = UUID.randomUUID().toString();
        String binaryId = UUID.randomUUID().toString();
        for (boolean binary : List.of(false, true)) {
            CloudEvent event = CloudEventBuilder.v1()
                    .withId(binary ? binaryId : structuredId)
                    .withType("sync.failed")
                    .withSource(URI.create("/connectors/salesforce"))
                    .withSubject("Salesforce sync failed")
                    .withData("application/json", """
                            {"sourceId": "src-7", "sourceName": "Salesforce", "errorMessage": "token expired"}"""
                            .getBytes(StandardCharsets.UTF_8))
                    .withExtension("workspaceid", WORKSPACE)
                    .withExtension("level", "warning")
                    .build();
            Map<String, String> headers = new LinkedHashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            MessageWriter<?, ?> writer = HttpMessageFactory.createWriter(headers::put, body::writeBytes);
            if (binary) {
                writer.writeBinary(event);
            } else {
                writer.writeStructured(event, new JsonFormat());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(stack.ingest.url("/v1/events"))
                    .header("authorization", "Bearer " + ChatStack.ADMIN_API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            headers.forEach(request::header);
            HttpResponse<String> accepted = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as("ingest: %s", accepted.body()).isEqualTo(202);
        }
        for (String eventId : List.of(structuredId, binaryId)) {
            JsonNode webhook = awaitWebhookFor(eventId);
            assertThat(webhook.path("type").asString("")).isEqualTo("sync.failed");
            assertThat(webhook.at("/data/summary").asString("")).isEqualTo("Salesforce sync failed");
            assertThat(webhook.at("/data/source").asString("")).isEqualTo("/connectors/salesforce");
            assertThat(webhook.at("/data/level").asString("")).isEqualTo("warning");
            assertThat(webhook.at("/data/payload/sourceName").asString("")).isEqualTo("Salesforce");
        }
    }

    private static JsonNode awaitWebhookFor(String eventId) {
        return await("webhook for event " + eventId).atMost(Duration.ofSeconds(60))
                .until(() -> receiver.received().stream()
                        .map(received -> read(received.body()))
                        .filter(body -> eventId.equals(body.at("/data/eventId").asString("")))
                        .findFirst().orElse(null), found -> found != null);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
