package com.messagingconnectors.ingest;

import static org.awaitility.Awaitility.await;

import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Reads the real topic with our AvroDeserializer: where its end is, and what was written after a point. */
final class TopicProbe implements AutoCloseable {
    private final KafkaConsumer<String, PlatformEvent> consumer;
    private final List<TopicPartition> partitions;

    /** The service under test uses the shared test broker and registry. */
    static void useTestInfrastructure(DynamicPropertyRegistry registry) {
        registry.add("ingest.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("ingest.schema-registry-url", TestInfrastructure::schemaRegistryUrl);
    }

    /** platform.events (created with 3 partitions if missing), probed. */
    static TopicProbe platformEvents() {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        return new TopicProbe(Topics.PLATFORM_EVENTS);
    }

    TopicProbe(String topic) {
        Properties props = TestInfrastructure.consumerProperties();
        // a seek discards the fetch in flight; its replacement must not wait out the broker's long poll
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        AvroDeserializer<PlatformEvent> values = new AvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
    }

    Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions);
    }

    long totalEnd() {
        return endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits for {@code count} records written after {@code from} and returns them (order kept per partition). */
    List<ConsumerRecord<String, PlatformEvent>> recordsAfter(Map<TopicPartition, Long> from, int count) {
        from.forEach(consumer::seek);
        List<ConsumerRecord<String, PlatformEvent>> records = new ArrayList<>();
        // no initial delay: poll() itself waits for the records
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }

}
