package com.messagingconnectors.config.store;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.schemas.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The only writer of connectors.config (used by integration-service alone). Each write is a Kafka transaction with a
 * fixed transactional id: a second integration-service instance fences the first, so there is always exactly one
 * writer, and the version check before each write (ETag/If-Match) cannot race with another process.
 *
 * <p>A producer that hits a fatal error (one its transaction cannot be aborted after) refuses every later transaction;
 * the writer then builds a new one and tries the write once more, so one bad answer from the broker does not break
 * every later change until a restart. Being fenced is the exception: another instance is the writer now, and a new
 * producer would fence it back.
 */
public final class ConfigWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWriter.class);
    /** How long a start waits for the broker to accept this writer's transactional id. */
    private static final Duration INIT_BUDGET = Duration.ofSeconds(90);
    private final String topic;
    private final Supplier<Producer<String, byte[]>> newProducer;
    private Producer<String, byte[]> producer;

    public ConfigWriter(String bootstrapServers, String topic, String transactionalId) {
        this(topic, () -> KafkaClientMeters.bound(new KafkaProducer<>(properties(bootstrapServers, transactionalId),
                new StringSerializer(), new ByteArraySerializer())));
    }

    /** For tests that need to put a producer into a state the broker rarely produces on demand. */
    ConfigWriter(String topic, Supplier<Producer<String, byte[]>> newProducer) {
        this.topic = topic;
        this.newProducer = newProducer;
        this.producer = initialised(newProducer.get(), INIT_BUDGET);
    }

    static Properties properties(String bootstrapServers, String transactionalId) {
        Properties props = KafkaClients.properties(bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return props;
    }

    /**
     * A broker that is starting or busy (the transaction coordinator loads its log, a new cluster creates
     * __transaction_state) may take longer than one max.block.ms to answer; a timed-out initTransactions may be called
     * again and resumes, so the service keeps trying for the budget instead of failing its start on the first wait.
     */
    private Producer<String, byte[]> initialised(Producer<String, byte[]> fresh, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            try {
                fresh.initTransactions();
                return fresh;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    fresh.close(Duration.ZERO);
                    throw e;
                }
                log.warn("{} not initialised yet ({}); trying again", topic, e.getMessage());
            }
        }
    }

    /** Writes (or, with {@code record == null}, deletes by tombstone) one record; returns where it landed. */
    public synchronized RecordMetadata write(ConfigKey key, Object record) {
        try {
            return writeOnce(key, record);
        } catch (ProducerBroken broken) {
            log.warn("the {} producer failed fatally ({}); building a new one and writing again", topic,
                    broken.getCause().toString());
            producer.close(Duration.ZERO);
            try {
                producer = initialised(newProducer.get(), Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                // the closed producer stays in place: the next write finds it broken and tries again
                throw new ConfigStoreUnavailableException("could not build a new producer for " + topic, e);
            }
            try {
                return writeOnce(key, record);
            } catch (ProducerBroken again) {
                throw new ConfigStoreUnavailableException("could not write " + topic + ": "
                        + again.getCause().getMessage(), again.getCause());
            }
        }
    }

    private RecordMetadata writeOnce(ConfigKey key, Object record) throws ProducerBroken {
        try {
            producer.beginTransaction();
            var future = producer.send(new ProducerRecord<>(topic, key.toString(),
                    record == null ? null : ConfigCodec.encode(record)));
            producer.commitTransaction();
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreUnavailableException("interrupted while writing " + topic, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                if (fenced(e)) {
                    throw new ConfigStoreUnavailableException("another integration-service instance writes " + topic
                            + " now (this one was fenced)", e);
                }
                throw new ProducerBroken(e);
            }
            throw new ConfigStoreUnavailableException("could not write " + topic + ": " + e.getMessage(), e);
        }
    }

    /** A newer producer with the same transactional id took over (Kafka 4 reports it as an old epoch). */
    private static boolean fenced(Throwable e) {
        return causedBy(e, ProducerFencedException.class) || causedBy(e, InvalidProducerEpochException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The producer could not even abort: it is in a fatal state and refuses every later transaction. */
    private static final class ProducerBroken extends Exception {
        ProducerBroken(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public synchronized void close() {
        producer.close();
    }
}
