package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The system, black box, on the run's shared stack: integration-service, ingest-service, router-service and
 * webhook-sender run as their own processes against a real broker and schema registry; a JDK HTTP server plays the
 * customer's webhook endpoint. Each test workspace gets a webhook integration through the control-plane API, as a
 * workspace admin would set it up.
 */
class EndToEndIT extends OnChatStack {
    private static final Duration DELIVERY = ChatStack.DELIVERY;
    private static final String ADMIN_API_KEY = ChatStack.ADMIN_API_KEY;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Workspaces of this class only: the stack's other classes never see their integrations. */
    private static final String ACME = workspace("ws_acme_");
    private static final String DIRECT = workspace("ws_direct_");
    private static final String POISON_WORKSPACE = workspace("ws_poison_");

    private static WebhookReceiver receiver;
    /** Workspace → destination id of its webhook endpoint, created through integration-service. */
    private static final Map<String, String> destinations = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void connectTheReceiver() throws Exception {
        receiver = new WebhookReceiver();
        for (String workspace : List.of(ACME, DIRECT, POISON_WORKSPACE)) {
            destinations.put(workspace, receiver.connect(stack.integrations, ADMIN_API_KEY, workspace));
        }
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    private static String workspace(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void eventPostedOverHttpArrivesAtTheWebhookAsDocumentedJson() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String event = """
                {"id": "%s", "type": "report.completed", "workspaceId": "%s",
                 "occurredAt": "2026-11-28T08:15:30.250Z", "level": "info",
                 "summary": "Weekly revenue report finished", "link": "https://app.example.com/reports/r-42",
                 "source": "reports", "attributes": {"team": "finance"},
                 "payload": {"reportId": "r-42", "reportName": "Weekly revenue", "rowCount": 1200}}
                """.formatted(eventId, ACME);

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.ingest.url("/v1/events"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + ADMIN_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("ingest answer: %s", response.body()).isBetween(200, 299);

        WebhookReceiver.Received webhook = awaitWebhookFor(eventId);
        assertThat(JSON.readTree(webhook.body())).isEqualTo(JSON.readTree("""
                {"type": "report.completed", "timestamp": "2026-11-28T08:15:30.250Z",
                 "data": {"eventId": "%s", "workspaceId": "%s", "level": "info",
                          "summary": "Weekly revenue report finished",
                          "link": "https://app.example.com/reports/r-42", "source": "reports",
                          "attributes": {"team": "finance"},
                          "payload": {"reportId": "r-42", "reportName": "Weekly revenue", "rowCount": 1200}}}
                """.formatted(eventId, ACME)));
        assertThat(webhook.method()).isEqualTo("POST");
        assertThat(webhook.headers()).containsEntry("content-type", "application/json")
                .containsEntry("webhook-id", NotificationIds.of(eventId, destinations.get(ACME)));
        long timestamp = Long.parseLong(webhook.headers().get("webhook-timestamp"));
        assertThat(Instant.ofEpochSecond(timestamp)).isBetween(Instant.now().minusSeconds(300), Instant.now());
    }

    @Test
    void avroEventProducedToKafkaArrivesAtTheWebhook() throws Exception {
        String eventId = UUID.randomUUID().toString();
        PlatformEvent event = syncFailed(eventId, DIRECT);

        try (KafkaProducer<String, PlatformEvent> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, DIRECT, event)).get();
        }

        WebhookReceiver.Received webhook = awaitWebhookFor(eventId);
        assertThat(JSON.readTree(webhook.body())).isEqualTo(JSON.readTree("""
                {"type": "sync.failed", "timestamp": "2026-11-28T09:00:00.000Z",
                 "data": {"eventId": "%s", "workspaceId": "%s", "level": "warning",
                          "summary": "Salesforce sync failed",
                          "payload": {"sourceId": "src-7", "sourceName": "Salesforce",
                                      "errorMessage": "token expired", "attempt": 3}}}
                """.formatted(eventId, DIRECT)));
        assertThat(webhook.headers()).containsEntry("webhook-id", NotificationIds.of(eventId, destinations.get(DIRECT)));
    }

    @Test
    void poisonEventIsDeadLetteredWithItsReasonAndTheNextEventStillArrives() throws Exception {
        String workspace = POISON_WORKSPACE;
        byte[] poison = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        String goodEventId = UUID.randomUUID().toString();

        // same key, so the good event sits behind the poison one on the same partition
        long poisonOffset;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(TestInfrastructure.producerProperties());
                KafkaProducer<String, PlatformEvent> avro = avroProducer()) {
            poisonOffset = raw.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, workspace, poison)).get().offset();
            avro.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, workspace, syncFailed(goodEventId, workspace)))
                    .get();
        }

        ConsumerRecord<String, byte[]> deadLetter = awaitRecord(Topics.PLATFORM_EVENTS_DLQ, workspace);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(text(deadLetter, DeliveryHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.PLATFORM_EVENTS);
        assertThat(text(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE)).contains("magic byte");
        assertThat(text(deadLetter, DeliveryHeaders.EXCEPTION_CLASS)).isNotBlank();
        assertThat(originalOffset(deadLetter)).isEqualTo(poisonOffset);

        awaitWebhookFor(goodEventId);
    }

    @Test
    void poisonNotificationIsDeadLetteredAndTheNextNotificationStillArrives() throws Exception {
        String destination = destinations.get(DIRECT);
        byte[] poison = new byte[] {0, 0, 0, 0, 42, 1, 2, 3};
        String goodEventId = UUID.randomUUID().toString();
        Notification good = Notification.newBuilder()
                .setNotificationId(NotificationIds.of(goodEventId, destination))
                .setChannel("webhook")
                .setDestination(Destination.newBuilder().setDestinationId(destination)
                        .setIntegrationId(destination.substring(0, destination.indexOf('/'))).setTarget("receiver")
                        .build())
                .setRoutedAt(Instant.now())
                .setEvent(syncFailed(goodEventId, DIRECT))
                .build();

        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(TestInfrastructure.producerProperties());
                KafkaProducer<String, Notification> avro = avroProducer()) {
            raw.send(new ProducerRecord<>(Topics.notifications("webhook"), destination, poison)).get();
            avro.send(new ProducerRecord<>(Topics.notifications("webhook"), destination, good)).get();
        }

        ConsumerRecord<String, byte[]> deadLetter = awaitRecord(Topics.deadLetter("webhook"), destination);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(text(deadLetter, DeliveryHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.notifications("webhook"));
        assertThat(text(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE)).contains("schema id 42");

        WebhookReceiver.Received webhook = awaitWebhookFor(goodEventId);
        assertThat(webhook.headers()).containsEntry("webhook-id", good.getNotificationId());
    }

    @Test
    void routingPreviewAndRouterAgree() throws Exception {
        HttpResponse<String> preview = HTTP.send(HttpRequest.newBuilder(
                        stack.integrations.url("/v1/workspaces/" + ACME + "/routing:preview"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + ADMIN_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type": "user.invited", "summary": "Ann was invited",
                         "payload": {"userEmail": "ann@example.com", "invitedBy": "bob@example.com"}}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preview.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(preview.body());
        assertThat(answer.get("destinations")).isEmpty();
        assertThat(answer.at("/notRouted/0/reason").asString("")).isEqualTo("type_switched_off");
    }

    private static PlatformEvent syncFailed(String eventId, String workspace) {
        return PlatformEvent.newBuilder()
                .setEventId(eventId)
                .setType("sync.failed")
                .setWorkspaceId(workspace)
                .setOccurredAt(Instant.parse("2026-11-28T09:00:00Z"))
                .setLevel(Level.warning)
                .setSummary("Salesforce sync failed")
                .setAttributes(Map.of())
                .setPayload(SyncFailed.newBuilder().setSourceId("src-7").setSourceName("Salesforce")
                        .setErrorMessage("token expired").setAttempt(3).build())
                .build();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, T> avroProducer() {
        Properties props = TestInfrastructure.producerProperties();
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl());
        return new KafkaProducer<>(props);
    }

    private static WebhookReceiver.Received awaitWebhookFor(String eventId) {
        return await("webhook for event " + eventId).atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .until(() -> receiver.received().stream().filter(r -> eventId.equals(eventIdOf(r))).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private static String eventIdOf(WebhookReceiver.Received webhook) {
        try {
            JsonNode id = JSON.readTree(webhook.body()).path("data").path("eventId");
            return id.isString() ? id.asString("") : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    /** The first record with {@code key} on {@code topic}, read from the beginning by a fresh consumer group. */
    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, String key) {
        return awaitRecord(topic, key, record -> true);
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, String key,
            Predicate<ConsumerRecord<String, byte[]>> matching) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(TestInfrastructure.consumerProperties())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return await("record with key " + key + " on " + topic).atMost(DELIVERY).pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                        return seen.stream().filter(r -> key.equals(r.key()) && matching.test(r)).findFirst();
                    }, Optional::isPresent)
                    .orElseThrow();
        }
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        Header last = record.headers().lastHeader(header);
        assertThat(last).as("header %s", header).isNotNull();
        return new String(last.value(), StandardCharsets.UTF_8);
    }

    private static long originalOffset(ConsumerRecord<?, ?> deadLetter) {
        return ByteBuffer.wrap(deadLetter.headers().lastHeader(DeliveryHeaders.ORIGINAL_OFFSET).value()).getLong();
    }
}
