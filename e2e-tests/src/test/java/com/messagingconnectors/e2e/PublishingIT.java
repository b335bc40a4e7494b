package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ways platform services publish, delivered: a service built on connectors-events-spring-boot-starter
 * (examples/reporting-service) runs as its own process, configured only with its README's two lines (as environment
 * variables); CloudEvents in structured and binary mode are posted to ingest-service by the CloudEvents Java SDK.
 * All travel through the real router and webhook-sender to a customer's HTTP endpoint.
 */
class PublishingIT {
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String ADMIN_API_KEY = "e2e-admin-" + UUID.randomUUID();
    private static final String SECRETS_KEY = "e2e:" + Base64.getEncoder().encodeToString(new byte[32]);
    @RegisterExtension
    static final ServiceGroup services = ServiceGroup.onTestInfrastructure(ADMIN_API_KEY, SECRETS_KEY);
    private static final String WORKSPACE = "ws_reports_" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebhookReceiver receiver;
    private static ServiceProcess integrations;
    private static ServiceProcess ingest;
    private static ServiceProcess reporting;
    private static String destination;

    @BeforeAll
    static void startSystem() throws Exception {
        ServiceGroup.createTopics("webhook", Topics.CONNECTORS_CONFIG);
        receiver = services.closing(new WebhookReceiver());
        integrations = services.start("integration-service", List.of("--connectors.security.local-mode=true"));
        ingest = services.start("ingest-service", List.of());
        services.start("router-service", List.of());
        services.start("webhook-sender", List.of("--connectors.webhook.url=" + receiver.url(),
                "--connectors.security.local-mode=true"));
        // only what the example's README asks for; no arguments shared with the platform's own services
        reporting = ServiceProcess.start("reporting-service", "reporting-service", List.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", TestInfrastructure.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", TestInfrastructure.schemaRegistryUrl()));
        services.awaitReady(STARTUP);
        reporting.awaitReady(STARTUP);
        destination = receiver.connect(integrations, ADMIN_API_KEY, WORKSPACE);
    }

    @AfterAll
    static void stopReporting() throws Exception {
        // before the services (the extension stops them after @AfterAll)
        if (reporting != null) {
            reporting.close();
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
            HttpRequest.Builder request = HttpRequest.newBuilder(ingest.url("/v1/events"))
                    .header("authorization", "Bearer " + ADMIN_API_KEY)
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
