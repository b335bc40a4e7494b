package com.messagingconnectors.config.store;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.schemas.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The only writer of connectors.config (used by integration-service alone). Each write is a Kafka transaction with a
 * fixed transactional id: a second integration-service instance fences the first, so there is always exactly one
 * writer, and the version check before each write (ETag/If-Match) cannot race with another process.
 */
public final class ConfigWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWriter.class);
    /** How long a start waits for the broker to accept this writer's transactional id. */
    private static final Duration INIT_BUDGET = Duration.ofSeconds(90);
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public ConfigWriter(String bootstrapServers, String topic, String transactionalId) {
        this.topic = topic;
        Properties props = KafkaClients.properties(bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.producer = KafkaClientMeters.bound(
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()));
        initTransactions(INIT_BUDGET);
    }

    /**
     * A broker that is starting or busy (the transaction coordinator loads its log, a new cluster creates
     * __transaction_state) may take longer than one max.block.ms to answer; a timed-out initTransactions may be called
     * again and resumes, so the service keeps trying for the budget instead of failing its start on the first wait.
     */
    private void initTransactions(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            try {
                producer.initTransactions();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    producer.close(Duration.ZERO);
                    throw e;
                }
                log.warn("{} not initialised yet ({}); trying again", topic, e.getMessage());
            }
        }
    }

    /** Writes (or, with {@code record == null}, deletes by tombstone) one record; returns where it landed. */
    public synchronized RecordMetadata write(ConfigKey key, Object record) {
        producer.beginTransaction();
        try {
            var future = producer.send(new ProducerRecord<>(topic, key.toString(),
                    record == null ? null : ConfigCodec.encode(record)));
            producer.commitTransaction();
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreUnavailableException("interrupted while writing connectors.config", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // the transaction is lost either way; the caller reports the write as failed
            }
            throw new ConfigStoreUnavailableException("could not write connectors.config: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
