package com.messagingconnectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serde as Kafka applications use it (configured by class name and properties, as Spring Cloud Stream's
 * native encoding does), through a real topic on a real broker and the real registry.
 */
class AvroSerdeThroughKafkaTest {

    @Test
    void platformEventsRoundTripThroughATopic() throws Exception {
        String topic = newTopic();
        PlatformEvent report = event("report.completed", Level.info, ReportCompleted.newBuilder()
                .setReportId("rep_1").setReportName("Weekly revenue").setRowCount(1200L).build());
        PlatformEvent alert = event("alert.triggered", Level.alert, AlertTriggered.newBuilder()
                .setAlertId("al_1").setAlertName("CPU").setMetric("cpu").setComparator(">")
                .setThreshold(0.9).setValue(0.97).build());

        try (KafkaProducer<String, PlatformEvent> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName())))) {
            producer.send(new ProducerRecord<>(topic, "ws_acme", report)).get();
            producer.send(new ProducerRecord<>(topic, "ws_acme", alert)).get();
        }

        List<ConsumerRecord<String, Object>> records = consume(topic, 2);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(report, alert);
        assertThat(((PlatformEvent) records.get(0).value()).getOccurredAt()).isEqualTo(report.getOccurredAt());

        // Registered under the topic-name strategy's subject, and the bytes carry that schema id.
        SchemaRegistryClient client = new SchemaRegistryClient(TestKafka.registryUrl());
        int id = client.register(topic + "-value", PlatformEvent.getClassSchema());
        byte[] raw = consumeRaw(topic, 1).get(0);
        assertThat(raw[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void recordsWrittenWithAnOlderSchemaVersionAreReadAsTheCurrentClass() throws Exception {
        String topic = newTopic();
        // The previous version of PlatformEvent: no "source" and no "attributes" (both have defaults now).
        ObjectNode json = (ObjectNode) RegistryHttp.JSON.readTree(PlatformEvent.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            String name = fields.get(i).get("name").asString("");
            if (name.equals("source") || name.equals("attributes")) {
                fields.remove(i);
            }
        }
        Schema oldSchema = new Schema.Parser().parse(json.toString());
        SchemaRegistryClient client = new SchemaRegistryClient(TestKafka.registryUrl());
        int oldId = client.register(topic + "-value", oldSchema);
        // The current schema is a BACKWARD compatible next version of the same subject.
        int newId = client.register(topic + "-value", PlatformEvent.getClassSchema());
        assertThat(newId).isNotEqualTo(oldId);

        GenericRecord payload = new GenericData.Record(oldSchema.getField("payload").schema().getTypes().get(0));
        payload.put("reportId", "rep_9");
        payload.put("reportName", "Churn");
        GenericRecord old = new GenericData.Record(oldSchema);
        old.put("eventId", "11111111-1111-1111-1111-111111111111");
        old.put("type", "report.completed");
        old.put("workspaceId", "ws_old");
        old.put("occurredAt", 1_700_000_000_000L);
        old.put("level", new GenericData.EnumSymbol(oldSchema.getField("level").schema(), "warning"));
        old.put("summary", "written by an old producer");
        old.put("payload", payload);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())))) {
            producer.send(new ProducerRecord<>(topic, "ws_old", wireFormat(oldId, oldSchema, old))).get();
        }

        PlatformEvent read = (PlatformEvent) consume(topic, 1).get(0).value();
        assertThat(read.getWorkspaceId()).isEqualTo("ws_old");
        assertThat(read.getLevel()).isEqualTo(Level.warning);
        assertThat(read.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read.getSource()).isNull();
        assertThat(read.getAttributes()).isEmpty();
        assertThat(((ReportCompleted) read.getPayload()).getReportName()).isEqualTo("Churn");
    }

    @Test
    void poisonRecordsFailWithTheReason() throws Exception {
        String topic = newTopic();
        int id = new SchemaRegistryClient(TestKafka.registryUrl()).register(topic + "-value", PlatformEvent.getClassSchema());
        AvroDeserializer<PlatformEvent> deserializer = configuredDeserializer();

        assertThatThrownBy(() -> deserializer.deserialize(topic, "{\"not\":\"avro\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b");
        assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {0, 0x7f, 0, 0, 1, 2, 3}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id " + 0x7f000001);
        byte[] corrupt = ByteBuffer.allocate(8).put((byte) 0).putInt(id).put(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f})
                .array();
        assertThatThrownBy(() -> deserializer.deserialize(topic, corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt Avro data for schema id " + id)
                .hasMessageContaining("com.messagingconnectors.schemas.avro.PlatformEvent");

        // Through a real consumer the same reason surfaces, with the record's position, for error handlers to act on.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())))) {
            producer.send(new ProducerRecord<>(topic, "ws", corrupt)).get();
        }
        try (KafkaConsumer<String, Object> consumer = consumer(AvroDeserializer.class.getName())) {
            readFromStart(consumer, topic);
            assertThatThrownBy(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(RecordDeserializationException.class)
                    .cause().hasMessageContaining("corrupt Avro data for schema id " + id);
        }
    }

    @Test
    void withoutAutoRegistrationTheSchemaMustAlreadyBeRegistered() {
        String topic = newTopic();
        AvroSerializer<PlatformEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", TestKafka.registryUrl(), "auto.register.schemas", "false"),
                false);
        PlatformEvent event = event("user.invited", Level.info, com.messagingconnectors.schemas.avro.GenericPayload
                .newBuilder().setJson("{}").build());

        assertThatThrownBy(() -> serializer.serialize(topic, event))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject " + topic + "-value")
                .hasMessageContaining("error_code 40401");

        int id = new SchemaRegistryClient(TestKafka.registryUrl()).register(topic + "-value", PlatformEvent.getClassSchema());
        assertThat(ByteBuffer.wrap(serializer.serialize(topic, event), 1, 4).getInt()).isEqualTo(id);
        assertThat(configuredDeserializer().deserialize(topic, serializer.serialize(topic, event))).isEqualTo(event);
    }

    static PlatformEvent event(String type, Level level, Object payload) {
        return PlatformEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setWorkspaceId("ws_acme")
                .setOccurredAt(Instant.parse("2026-11-28T08:00:00.123Z"))
                .setLevel(level)
                .setSummary("summary of " + type)
                .setLink("https://app.example.com/x")
                .setAttributes(Map.of("team", "analytics"))
                .setPayload(payload)
                .build();
    }

    private static AvroDeserializer<PlatformEvent> configuredDeserializer() {
        AvroDeserializer<PlatformEvent> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", TestKafka.registryUrl()), false);
        return deserializer;
    }

    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static String newTopic() {
        return "serde-" + UUID.randomUUID();
    }

    private static Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                "schema.registry.url", TestKafka.registryUrl()));
        config.putAll(extra);
        return config;
    }

    private static KafkaConsumer<String, Object> consumer(String valueDeserializer) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer,
                "schema.registry.url", TestKafka.registryUrl()));
    }

    private static List<ConsumerRecord<String, Object>> consume(String topic, int count) {
        try (KafkaConsumer<String, Object> consumer = consumer(AvroDeserializer.class.getName())) {
            return poll(consumer, topic, count);
        }
    }

    private static List<byte[]> consumeRaw(String topic, int count) {
        try (KafkaConsumer<String, Object> consumer = consumer(ByteArrayDeserializer.class.getName())) {
            return poll(consumer, topic, count).stream().map(r -> (byte[]) r.value()).toList();
        }
    }

    /** No consumer group: assigned partitions from the start, so no group coordination slows the tests. */
    private static void readFromStart(KafkaConsumer<String, Object> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private static List<ConsumerRecord<String, Object>> poll(KafkaConsumer<String, Object> consumer, String topic,
            int count) {
        readFromStart(consumer, topic);
        List<ConsumerRecord<String, Object>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).as("records consumed from %s", topic).hasSizeGreaterThanOrEqualTo(count);
        return records.subList(0, count);
    }
}
