package com.messagingconnectors.config.store;

import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The config writer on a real broker: a producer left in a fatal state is replaced and the change still lands once;
 * a writer fenced by a newer instance stays out of its way.
 */
class ConfigWriterRecoveryTest {

    @Test
    void aProducerInAFatalStateIsReplacedAndTheChangeLandsOnce() throws Exception {
        String topic = "config-writer-recovery-" + UUID.randomUUID();
        TestInfrastructure.createTopics(1, topic);
        String transactionalId = "config-writer-" + UUID.randomUUID();
        AtomicInteger producersBuilt = new AtomicInteger();
        Supplier<Producer<String, byte[]>> producers = () -> producersBuilt.incrementAndGet() == 1
                ? new FatalOnFirstCommit(transactionalId)
                : realProducer(transactionalId);

        try (ConfigWriter writer = new ConfigWriter(topic, producers)) {
            ConfigKey first = new ConfigKey(ConfigKey.INTEGRATION, "ws-1", "first");
            writer.write(first, Map.of("name", "first"));
            assertThat(producersBuilt).hasValue(2);

            ConfigKey second = new ConfigKey(ConfigKey.INTEGRATION, "ws-1", "second");
            writer.write(second, Map.of("name", "second"));
            assertThat(producersBuilt).as("a healthy producer is kept").hasValue(2);
        }

        assertThat(committedRecords(topic)).containsExactly(
                "integration/ws-1/first={\"name\":\"first\"}",
                "integration/ws-1/second={\"name\":\"second\"}");
    }

    @Test
    void aFencedWriterFailsClearlyAndDoesNotFenceTheNewWriterBack() throws Exception {
        String topic = "config-writer-fenced-" + UUID.randomUUID();
        TestInfrastructure.createTopics(1, topic);
        String transactionalId = "config-writer-" + UUID.randomUUID();
        AtomicInteger oldInstanceProducers = new AtomicInteger();

        try (ConfigWriter oldInstance = new ConfigWriter(topic, () -> {
            oldInstanceProducers.incrementAndGet();
            return realProducer(transactionalId);
        });
             ConfigWriter newInstance = new ConfigWriter(TestInfrastructure.bootstrapServers(), topic,
                     transactionalId)) {
            ConfigKey key = new ConfigKey(ConfigKey.INTEGRATION, "ws-1", "one");
            assertThatThrownBy(() -> oldInstance.write(key, Map.of("by", "old")))
                    .isInstanceOf(ConfigStoreUnavailableException.class)
                    .hasMessageContaining("fenced");
            assertThat(oldInstanceProducers).as("no new producer that would fence the new writer").hasValue(1);

            newInstance.write(key, Map.of("by", "new"));
            assertThatThrownBy(() -> oldInstance.write(key, Map.of("by", "old again")))
                    .isInstanceOf(ConfigStoreUnavailableException.class);
            newInstance.write(key, Map.of("by", "new again"));
        }

        assertThat(committedRecords(topic)).containsExactly(
                "integration/ws-1/one={\"by\":\"new\"}",
                "integration/ws-1/one={\"by\":\"new again\"}");
    }

    private static KafkaProducer<String, byte[]> realProducer(String transactionalId) {
        return new KafkaProducer<>(ConfigWriter.properties(TestInfrastructure.bootstrapServers(), transactionalId),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Every committed record of the topic, as key=value, read up to its end (the last stable offset). */
    private static List<String> committedRecords(String topic) {
        List<String> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(TestInfrastructure.consumerProperties())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(record.key() + "=" + new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return records;
    }

    /**
     * A real producer whose first commit ends the way a fatal broker answer does (the transaction rolled back, then
     * every transactional call refused), as the embedded broker once did with InvalidTxnStateException.
     */
    private static final class FatalOnFirstCommit extends KafkaProducer<String, byte[]> {
        private KafkaException fatal;

        FatalOnFirstCommit(String transactionalId) {
            super(ConfigWriter.properties(TestInfrastructure.bootstrapServers(), transactionalId),
                    new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public void commitTransaction() {
            if (fatal == null) {
                super.abortTransaction();
                fatal = new KafkaException("Cannot execute transactional method because we are in an error state",
                        new InvalidTxnStateException("injected"));
            }
            throw fatal;
        }

        @Override
        public void abortTransaction() {
            if (fatal != null) {
                throw fatal;
            }
            super.abortTransaction();
        }

        @Override
        public void beginTransaction() {
            if (fatal != null) {
                throw fatal;
            }
            super.beginTransaction();
        }
    }
}
