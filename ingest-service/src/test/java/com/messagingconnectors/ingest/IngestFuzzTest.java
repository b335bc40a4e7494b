package com.messagingconnectors.ingest;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.testsupport.HostileJson;
import com.messagingconnectors.testsupport.HostileJson.Body;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fuzzing of POST /v1/events and /v1/events:batch over real HTTP, against a real broker and registry: thousands of
 * hostile bodies ({@link HostileJson}) never get a 5xx, every rejection is problem+json and produces nothing to
 * platform.events, and every accepted event, read back from Kafka, can be turned into its webhook body by the
 * sender's serializer ({@link EventJson#toWebhookBody}) and that body validates against the published JSON Schema.
 * Tries per property: jqwik.tries.default (src/test/resources/junit-platform.properties; -D for a longer run).
 */
class IngestFuzzTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMA_BY_NAME = new ConcurrentHashMap<>();

    private static ConfigurableApplicationContext app;
    private static TopicProbe topic;
    private static IngestClient client;

    @BeforeContainer
    static void start() {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        // as command-line arguments: they win over application.yml, like the test properties of a @SpringBootTest
        app = new SpringApplicationBuilder(IngestApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0",
                "--ingest.bootstrap-servers=" + TestInfrastructure.bootstrapServers(),
                "--ingest.schema-registry-url=" + TestInfrastructure.schemaRegistryUrl());
        client = new IngestClient(((WebServerApplicationContext) app).getWebServer().getPort());
        topic = new TopicProbe(Topics.PLATFORM_EVENTS);
    }

    @AfterContainer
    static void stop() {
        if (topic != null) {
            topic.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Property
    void singleEventsAreRejectedCleanlyOrDeliverable(@ForAll("events") Body body,
                                                     @ForAll("contentTypes") String contentType) throws Exception {
        postAndCheck("/v1/events", body, contentType);
    }

    @Property
    void batchesAreRejectedCleanlyOrDeliverable(@ForAll("batches") Body body,
                                                @ForAll("contentTypes") String contentType) throws Exception {
        postAndCheck("/v1/events:batch", body, contentType);
    }

    @Property
    void cloudEventsAreRejectedCleanlyOrDeliverable(@ForAll("cloudEvents") Body body) throws Exception {
        postAndCheck("/v1/events", body, "application/cloudevents+json");
    }

    @Property
    void cloudEventBatchesAreRejectedCleanlyOrDeliverable(@ForAll("cloudEventBatches") Body body) throws Exception {
        postAndCheck("/v1/events:batch", body, "application/cloudevents-batch+json");
    }

    /** 202: every event it names is on the topic and deliverable; anything else: a clean rejection, nothing produced. */
    private static void postAndCheck(String path, Body body, String contentType) throws Exception {
        Map<TopicPartition, Long> before = topic.endOffsets();
        HttpResponse<String> response = client.post(path, contentType, body.bytes());

        if (response.statusCode() == 202) {
            JsonNode answer = IngestClient.json(response);
            List<String> ids = new ArrayList<>();
            if (answer.has("eventId")) {
                ids.add(answer.get("eventId").asString(""));
            }
            answer.path("eventIds").forEach(id -> ids.add(id.asString("")));
            assertDeliverable(readBack(before, ids));
        } else {
            assertRejectedCleanly(response, before);
        }
    }

    @Provide
    Arbitrary<Body> events() {
        List<ObjectNode> valid = validEvents();
        return HostileJson.bodies(valid, paths(valid));
    }

    /** {"events": [...]}: 1 to 5 events (valid or mutated) or a hostile envelope. */
    @Provide
    Arbitrary<Body> batches() {
        List<ObjectNode> valid = validEvents();
        Arbitrary<Body> event = HostileJson.bodies(valid, paths(valid));
        Arbitrary<Body> wellFormedEnvelope = event.list().ofMinSize(1).ofMaxSize(5).map(IngestFuzzTest::batchOf);
        ObjectNode validBatch = JSON.createObjectNode();
        validBatch.putArray("events").addAll(valid);
        return Arbitraries.frequencyOf(
                Tuple.of(4, wellFormedEnvelope),
                Tuple.of(1, HostileJson.mutations(validBatch, List.of("events"))),
                Tuple.of(1, HostileJson.garbage(validBatch)));
    }

    /** Structured CloudEvents carrying the valid events, mutated and garbled like the event JSON. */
    @Provide
    Arbitrary<Body> cloudEvents() {
        List<ObjectNode> valid = validEvents().stream().map(IngestFuzzTest::asCloudEvent).toList();
        return HostileJson.bodies(valid, paths(valid));
    }

    /** A JSON array of 1 to 5 (possibly hostile) structured CloudEvents, or a hostile array. */
    @Provide
    Arbitrary<Body> cloudEventBatches() {
        List<ObjectNode> valid = validEvents().stream().map(IngestFuzzTest::asCloudEvent).toList();
        Arbitrary<Body> array = HostileJson.bodies(valid, paths(valid)).list().ofMinSize(1).ofMaxSize(5).map(events -> {
            Body batch = batchOf(events);
            String text = new String(batch.bytes(), StandardCharsets.UTF_8);
            // {"events":[…]} → […]
            return new Body(text.substring("{\"events\":".length(), text.length() - 1).getBytes(StandardCharsets.UTF_8),
                    batch.description());
        });
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.putArray("events").addAll(valid);
        return Arbitraries.frequencyOf(Tuple.of(4, array), Tuple.of(1, HostileJson.garbage(wrapper)));
    }

    /** The event as a structured CloudEvent, by the documented mapping. */
    private static ObjectNode asCloudEvent(ObjectNode event) {
        ObjectNode cloudEvent = JSON.createObjectNode().put("specversion", "1.0");
        cloudEvent.set("id", event.get("id"));
        cloudEvent.set("type", event.get("type"));
        cloudEvent.set("source", event.get("source"));
        cloudEvent.set("time", event.get("occurredAt"));
        cloudEvent.set("subject", event.get("summary"));
        cloudEvent.set("workspaceid", event.get("workspaceId"));
        cloudEvent.set("level", event.get("level"));
        cloudEvent.set("link", event.get("link"));
        event.path("attributes").properties().iterator().forEachRemaining(attribute -> cloudEvent.set(attribute.getKey(),
                attribute.getValue()));
        cloudEvent.put("datacontenttype", "application/json");
        cloudEvent.set("data", event.get("payload"));
        return cloudEvent;
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return HostileJson.contentTypes();
    }

    private static Body batchOf(List<Body> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
        List<String> described = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.writeBytes((i == 0 ? "" : ",").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(events.get(i).bytes());
            described.add(events.get(i).description());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return new Body(out.toByteArray(), "batch of " + described);
    }

    /** Every typed event type with all optional fields, and a generic type with a nested payload. */
    static List<ObjectNode> validEvents() {
        return List.of(
                event("report.completed", "{'reportId':'rep_1','reportName':'Weekly revenue','rowCount':1200,"
                        + "'durationMs':5300,'downloadUrl':'https://app.example.com/r/1.csv'}"),
                event("sync.failed", "{'sourceId':'src_9','sourceName':'Salesforce','connector':'salesforce',"
                        + "'errorMessage':'token expired','attempt':3}"),
                event("user.invited", "{'userEmail':'ada@example.com','invitedBy':'grace@example.com','role':'admin'}"),
                event("user.deactivated", "{'userEmail':'ada@example.com','deactivatedBy':'grace@example.com',"
                        + "'reason':'left'}"),
                event("alert.triggered", "{'alertId':'al_7','alertName':'CPU high','metric':'cpu.usage',"
                        + "'comparator':'>=','threshold':0.9,'value':0.97}"),
                event("invoice.paid", "{'invoiceId':'inv_1','amount':{'value':12.5,'currency':'EUR'},"
                        + "'lines':[1,2],'meta':{'nested':{'deep':true}}}"));
    }

    private static ObjectNode event(String type, String payload) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(IngestClient.q("""
                    {'id':'3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f','type':'%s','workspaceId':'ws_fuzz',
                     'occurredAt':'2026-03-01T13:00:00+01:00','level':'warning','summary':'Something happened',
                     'link':'https://app.example.com/items/42','source':'fuzzer','attributes':{'team':'sre'},
                     'payload':%s}""".formatted(type, payload)));
            return event;
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> paths(List<ObjectNode> events) {
        return events.stream().flatMap(e -> HostileJson.paths(e).stream()).distinct().toList();
    }

    private static List<PlatformEvent> readBack(Map<TopicPartition, Long> before, List<String> ids) {
        List<PlatformEvent> events = topic.recordsAfter(before, ids.size()).stream()
                .map(ConsumerRecord::value).toList();
        assertThat(events).extracting(PlatformEvent::getEventId).containsExactlyInAnyOrderElementsOf(ids);
        return events;
    }

    /** What webhook-sender would post for each event: it can be written, parsed back, and matches its schema. */
    private static void assertDeliverable(List<PlatformEvent> events) throws Exception {
        for (PlatformEvent event : events) {
            String webhook = EventJson.toWebhookBody(event);
            JsonNode parsed = JSON.readTree(webhook);
            String schemaName = EventJson.typedEventTypes().contains(event.getType()) ? event.getType() : "generic";
            assertThat(schema(schemaName).validate(parsed.toString(), InputFormat.JSON)).as("webhook body %s", webhook).isEmpty();
        }
    }

    private static void assertRejectedCleanly(HttpResponse<String> response, Map<TopicPartition, Long> before) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = IngestClient.json(response);
        assertThat(problem.get("status").asInt(0)).isEqualTo(response.statusCode());
        assertThat(problem.path("detail").asString("")).isNotBlank();
        assertThat(topic.endOffsets()).as("nothing produced for a rejected body").isEqualTo(before);
    }

    private static Schema schema(String name) {
        return SCHEMA_BY_NAME.computeIfAbsent(name, n -> {
            try (InputStream in = EventJson.class.getResourceAsStream("/webhook-payloads/" + n + ".schema.json")) {
                return SCHEMAS.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
