package com.messagingconnectors.delivery.replay;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code notifications.<channel>.dlq} from the beginning (or from the filter's {@code from}) up to its end at
 * the time of the call, without a consumer group (nothing is committed, no other reader is disturbed), and returns
 * the records that match a {@link DeadLetterFilter}, oldest first. Values are decoded with the
 * {@link AvroDeserializer}; a record that does not decode is still listed, with the reason.
 */
public class DeadLetterBrowser {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int REGISTRY_ATTEMPTS = 3;

    private final String bootstrapServers;
    private final String schemaRegistryUrl;
    private final String channel;

    /** A dead letter with the bytes a replay sends again. */
    public record Found(DeadLetter letter, byte[] key, byte[] value, Headers headers) {
    }

    /** The matches (at most the filter's limit) and whether more matched. */
    public record Result(List<Found> matches, boolean truncated) {
    }

    public DeadLetterBrowser(String bootstrapServers, String schemaRegistryUrl, String channel) {
        if (!IntegrationKind.IDS.contains(channel)) {
            throw new IllegalArgumentException("unknown channel '" + channel + "', known: " + IntegrationKind.IDS);
        }
        this.bootstrapServers = bootstrapServers;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.channel = channel;
    }

    public String channel() {
        return channel;
    }

    public String topic() {
        return Topics.deadLetter(channel);
    }

    public Result find(DeadLetterFilter filter) {
        List<Found> matches = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                AvroDeserializer<Notification> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false);
            List<PartitionInfo> partitions = consumer.partitionsFor(topic(), READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return new Result(List.of(), false); // nothing was ever dead-lettered on this channel
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned, READ_TIMEOUT));
            seekToStart(consumer, assigned, filter);
            narrowToRecords(consumer, assigned, end, filter);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic() + " took longer than " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Long partitionEnd = end.get(new TopicPartition(record.topic(), record.partition()));
                    if (partitionEnd != null && record.offset() < partitionEnd) {
                        DeadLetter letter = describe(record, deserializer);
                        if (filter.matches(letter)) {
                            matches.add(new Found(letter, record.key(), record.value(), record.headers()));
                        }
                    }
                }
            }
        }
        matches.sort(Comparator.comparing((Found f) -> f.letter().deadLetteredAt())
                .thenComparingInt(f -> f.letter().partition()).thenComparingLong(f -> f.letter().offset()));
        boolean truncated = matches.size() > filter.limit();
        return new Result(truncated ? List.copyOf(matches.subList(0, filter.limit())) : List.copyOf(matches), truncated);
    }

    private void seekToStart(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            DeadLetterFilter filter) {
        if (filter.from() == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, filter.from().toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, READ_TIMEOUT);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                consumer.seekToEnd(List.of(partition)); // nothing that recent in this partition
            }
        }
    }

    /**
     * With explicit record ids (the CLI replays in chunks of them) only their offsets are read, not the whole
     * topic: each partition from its first requested offset to its last.
     */
    private static void narrowToRecords(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end, DeadLetterFilter filter) {
        if (filter.records().isEmpty()) {
            return;
        }
        for (TopicPartition partition : partitions) {
            List<Long> offsets = filter.records().stream()
                    .filter(record -> record.startsWith(partition.partition() + "-"))
                    .map(record -> Long.parseLong(record.substring(record.indexOf('-') + 1))).sorted().toList();
            if (offsets.isEmpty()) {
                end.put(partition, 0L); // nothing wanted here: done at once
                consumer.pause(List.of(partition));
            } else {
                long from = Math.max(consumer.position(partition, READ_TIMEOUT), offsets.getFirst());
                consumer.seek(partition, Math.min(from, end.get(partition)));
                end.put(partition, Math.min(end.get(partition), offsets.getLast() + 1));
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), READ_TIMEOUT) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private DeadLetter describe(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<Notification> deserializer) {
        Headers headers = record.headers();
        Notification notification = null;
        String decodeError = null;
        try {
            notification = decode(record, deserializer);
            if (notification == null) {
                decodeError = "the record has no value";
            }
        } catch (SerializationException e) {
            decodeError = e.getMessage();
        }
        String keyText = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new DeadLetter(
                record.partition() + "-" + record.offset(),
                record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                keyText,
                notification == null ? null : notification.getNotificationId(),
                notification == null ? null : notification.getEvent().getEventId(),
                notification == null ? null : notification.getEvent().getType(),
                notification == null ? null : notification.getEvent().getWorkspaceId(),
                // the key is the destination id: it still says where an undecodable record was going
                notification == null ? keyText : notification.getDestination().getDestinationId(),
                text(headers, DeliveryHeaders.EXCEPTION_CLASS),
                text(headers, DeliveryHeaders.EXCEPTION_MESSAGE),
                integerText(headers, DeliveryHeaders.HTTP_STATUS),
                text(headers, DeliveryHeaders.ORIGINAL_TOPIC),
                bigEndianInt(headers, DeliveryHeaders.ORIGINAL_PARTITION),
                bigEndianLong(headers, DeliveryHeaders.ORIGINAL_OFFSET),
                instant(bigEndianLong(headers, DeliveryHeaders.ORIGINAL_TIMESTAMP)),
                decodeError);
    }

    /**
     * The notification in the record. An unreachable registry is not an undecodable record: it is retried and then
     * fails the whole request, instead of listing good dead letters as poison (or leaving them out of a filter).
     */
    private static Notification decode(ConsumerRecord<byte[], byte[]> record,
            AvroDeserializer<Notification> deserializer) {
        if (record.value() == null) {
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return deserializer.deserialize(record.topic(), record.headers(), record.value());
            } catch (SerializationException e) {
                if (!(e.getCause() instanceof SchemaRegistryException registryError) || registryError.isNotFound()) {
                    throw e; // the bytes themselves are the problem
                }
                if (attempt == REGISTRY_ATTEMPTS) {
                    throw new IllegalStateException("the schema registry did not answer: " + e.getMessage(), e);
                }
            }
        }
    }

    private Properties consumerProperties() {
        Properties properties = KafkaClients.properties(bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-browser-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // dead letters are written by idempotent, possibly transactional producers: only committed ones count
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Integer integerText(Headers headers, String name) {
        String text = text(headers, name);
        try {
            return text == null ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer bigEndianInt(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null || header.value().length != 4
                ? null : ByteBuffer.wrap(header.value()).getInt();
    }

    private static Long bigEndianLong(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null || header.value().length != 8
                ? null : ByteBuffer.wrap(header.value()).getLong();
    }

    private static Instant instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }
}
