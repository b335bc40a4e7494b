package com.messagingconnectors.delivery.replay;

import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead letters the way the senders' dead-letter publisher does (original key and Avro value plus the
 * {@link DeliveryHeaders}) on the shared test broker, and reads what a replay sent to the channel topic. Tests use
 * the teams channel and a workspace of their own, so they never see each other's records.
 */
final class DeadLetterFixture implements AutoCloseable {
    static final String CHANNEL = "teams";
    static final String DLQ = Topics.deadLetter(CHANNEL);
    static final String TARGET = Topics.notifications(CHANNEL);
    static final String PERMANENT = "com.messagingconnectors.delivery.DeliveryException$Permanent";
    static final String RETRYABLE = "com.messagingconnectors.delivery.DeliveryException$Retryable";
    static final String POISON = "org.apache.kafka.common.errors.SerializationException";
    /**
     * Dead-lettering times for the records, a few hours back: a fixed date months ago would be older than the
     * broker's 7-day retention, and its retention check (every 5 minutes) would delete the records mid-test.
     */
    static final Instant T10 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    static final Instant T11 = T10.plus(Duration.ofHours(1));
    static final Instant T12 = T10.plus(Duration.ofHours(2));

    final String workspace = "ws_replay_" + UUID.randomUUID().toString().substring(0, 8);
    private final Producer<byte[], byte[]> producer;
    private final AvroSerializer<Notification> serializer = new AvroSerializer<>();

    DeadLetterFixture() {
        TestInfrastructure.createTopics(3, DLQ, TARGET);
        Properties properties = TestInfrastructure.producerProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
        serializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
    }

    DeadLetterBrowser browser() {
        return new DeadLetterBrowser(TestInfrastructure.bootstrapServers(), TestInfrastructure.schemaRegistryUrl(),
                CHANNEL);
    }

    Producer<byte[], byte[]> replayProducer() {
        return producer;
    }

    static Notification notification(String workspace, String destinationId, String type) {
        String eventId = UUID.randomUUID().toString();
        PlatformEvent event = PlatformEvent.newBuilder()
                .setEventId(eventId).setType(type).setWorkspaceId(workspace)
                .setOccurredAt(Instant.parse("2026-03-01T12:00:00Z")).setSummary("something happened: " + type)
                .setPayload(new GenericPayload("{}"))
                .build();
        return Notification.newBuilder()
                .setNotificationId(NotificationIds.of(eventId, destinationId))
                .setChannel(CHANNEL)
                .setDestination(new Destination(destinationId, destinationId.split("/")[0], destinationId.split("/")[1]))
                .setRoutedAt(Instant.parse("2026-03-01T12:00:01Z"))
                .setEvent(event)
                .build();
    }

    /** Dead-letters {@code notification} at {@code at} because of {@code errorClass}; returns it. */
    Notification deadLetter(Notification notification, Instant at, String errorClass, Integer httpStatus) {
        RecordHeaders headers = reasonHeaders(errorClass, "delivery of notification "
                + notification.getNotificationId() + " failed: HTTP " + httpStatus, httpStatus);
        headers.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        byte[] key = notification.getDestination().getDestinationId().getBytes(StandardCharsets.UTF_8);
        send(new ProducerRecord<>(DLQ, null, at.toEpochMilli(), key, serializer.serialize(DLQ, notification), headers));
        return notification;
    }

    /** A record whose value is not Avro at all, as dead-lettered by the poison path. */
    void poison(String destinationId, Instant at) {
        send(new ProducerRecord<>(DLQ, null, at.toEpochMilli(), destinationId.getBytes(StandardCharsets.UTF_8),
                "{not avro".getBytes(StandardCharsets.UTF_8),
                reasonHeaders(POISON, "unknown magic byte 0x7b", null)));
    }

    private static RecordHeaders reasonHeaders(String errorClass, String message, Integer httpStatus) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeliveryHeaders.EXCEPTION_CLASS, errorClass.getBytes(StandardCharsets.UTF_8));
        headers.add(DeliveryHeaders.EXCEPTION_MESSAGE, message.getBytes(StandardCharsets.UTF_8));
        headers.add(DeliveryHeaders.ORIGINAL_TOPIC, TARGET.getBytes(StandardCharsets.UTF_8));
        headers.add(DeliveryHeaders.ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(2).array());
        headers.add(DeliveryHeaders.ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(4711L).array());
        if (httpStatus != null) {
            headers.add(DeliveryHeaders.HTTP_STATUS, httpStatus.toString().getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write the test dead letter", e);
        }
    }

    /** End offsets of the channel topic now: what a replay writes comes after these. */
    Map<TopicPartition, Long> targetEnd() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TARGET).stream()
                    .map(p -> new TopicPartition(TARGET, p.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /**
     * Records of this fixture's workspace written to the channel topic after {@code since}, read up to the end
     * offsets of now: a replay answers only after its sends were acknowledged, so no waiting is needed.
     */
    List<ConsumerRecord<byte[], byte[]>> replayedSince(Map<TopicPartition, Long> since) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                AvroDeserializer<Notification> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
            consumer.assign(since.keySet());
            since.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(since.keySet());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && workspace.equals(workspaceOf(deserializer, record.value()))) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Workspace of a channel-topic record; null for records of other tests that are not notifications. */
    private static String workspaceOf(AvroDeserializer<Notification> deserializer, byte[] value) {
        try {
            return deserializer.deserialize(TARGET, value).getEvent().getWorkspaceId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Notification decode(byte[] value) {
        try (AvroDeserializer<Notification> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
            return deserializer.deserialize(TARGET, value);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = TestInfrastructure.consumerProperties();
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.remove("group.id");
        return new KafkaConsumer<>(properties);
    }

    @Override
    public void close() {
        producer.close();
    }
}
