package com.messagingconnectors.events.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.EventValidationException;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with the starter and nothing but the two documented lines of configuration, publishing
 * to a real broker and schema registry; what lands on platform.events is read back with the router's deserializer.
 */
@SpringBootTest(classes = PlatformEventsTest.App.class)
class PlatformEventsTest {
    private static KafkaConsumer<String, byte[]> raw;

    @SpringBootApplication
    static class App {
    }

    @DynamicPropertySource
    static void twoLines(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        registry.add("spring.cloud.stream.kafka.binder.brokers", TestInfrastructure::bootstrapServers);
        registry.add("schema.registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @Autowired
    PlatformEvents events;

    @BeforeAll
    static void consumer() {
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "starter-test-" + UUID.randomUUID());
        raw = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        raw.subscribe(List.of(Topics.PLATFORM_EVENTS));
    }

    @AfterAll
    static void close() {
        raw.close();
    }

    @Test
    void aTypedEventArrivesKeyedByWorkspaceInTheConfluentWireFormat() {
        String workspace = workspace();
        PlatformEvent sent = events.publish(Events.reportCompleted(workspace, "Weekly revenue report finished",
                        ReportCompleted.newBuilder().setReportId("r-42").setReportName("Weekly revenue")
                                .setRowCount(1200L).build())
                .link("https://app.example.com/reports/r-42").source("reports").attribute("team", "finance"));

        ConsumerRecord<String, byte[]> record = recordOf(workspace);
        assertThat(record.key()).isEqualTo(workspace);
        assertThat(record.value()[0]).as("magic byte").isZero();
        PlatformEvent received = decode(record);
        assertThat(received).isEqualTo(sent);
        assertThat(received.getType()).isEqualTo("report.completed");
        assertThat(received.getLevel()).isEqualTo(Level.info);
        assertThat(received.getAttributes()).containsEntry("team", "finance");
        assertThat(((ReportCompleted) received.getPayload()).getRowCount()).isEqualTo(1200L);
    }

    @Test
    void aGenericEventCarriesItsPayloadAsJson() {
        String workspace = workspace();
        PlatformEvent sent = events.publish(Events.generic("invoice.paid", workspace, "Invoice INV-7 paid",
                Map.of("invoice", "INV-7", "amountCents", 1250)).level(Level.warning));
        PlatformEvent received = decode(recordOf(workspace));
        assertThat(received.getEventId()).isEqualTo(sent.getEventId());
        assertThat(((GenericPayload) received.getPayload()).getJson())
                .contains("\"invoice\":\"INV-7\"").contains("\"amountCents\":1250");
        assertThat(received.getLevel()).isEqualTo(Level.warning);
    }

    @Test
    void anEventIngestWouldRefuseIsRefusedWithIngestsMessagesAndNothingIsSent() {
        String workspace = "acme-without-prefix";
        SyncFailed payload = SyncFailed.newBuilder().setSourceId("s-1").setSourceName("Salesforce")
                .setConnector("salesforce").setErrorMessage("token expired").build();
        Events.Builder invalid = Events.syncFailed(workspace, " ", payload).link("javascript:alert(1)").id("not-a-uuid");

        assertThatThrownBy(() -> events.publish(invalid))
                .isInstanceOfSatisfying(EventValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("id", "workspaceId", "summary", "link"));
        // the same event as JSON at ingest gets the same answer: one set of rules
        PlatformEvent asBuilt = invalid.build();
        assertThatThrownBy(() -> EventJson.fromJson(EventJson.toEventJson(asBuilt)))
                .isInstanceOfSatisfying(EventValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("id", "workspaceId", "summary", "link"));

        // a typed payload under another type is what the router would dead-letter: refused here
        assertThatThrownBy(() -> events.publish(Events.generic("report.completed", workspace(), "x", Map.of())))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("payload.reportId");

        String marker = workspace();
        events.publish(Events.generic("marker.sent", marker, "after the refused ones", Map.of()));
        assertThat(recordOf(marker).key()).isEqualTo(marker);
        assertThat(seen).extracting(ConsumerRecord::key).doesNotContain(workspace);
    }

    @Test
    void publishingAgainWithTheSameIdKeepsTheId() {
        String workspace = workspace();
        String id = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-12-01T10:00:00.123Z");
        events.publish(Events.generic("backup.finished", workspace, "Backup finished", Map.of()).id(id).occurredAt(at));
        PlatformEvent received = decode(recordOf(workspace));
        assertThat(received.getEventId()).isEqualTo(id);
        assertThat(received.getOccurredAt()).isEqualTo(at);
    }

    private static final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private static ConsumerRecord<String, byte[]> recordOf(String workspace) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            raw.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().anyMatch(r -> workspace.equals(r.key()));
        });
        return seen.stream().filter(r -> workspace.equals(r.key())).findFirst().orElseThrow();
    }

    private static PlatformEvent decode(ConsumerRecord<String, byte[]> record) {
        try (AvroDeserializer<PlatformEvent> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
            return deserializer.deserialize(Topics.PLATFORM_EVENTS, record.value());
        }
    }

    private static String workspace() {
        return "ws_starter_" + UUID.randomUUID().toString().substring(0, 8);
    }
}
