package com.messagingconnectors.config.store;

import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live in-memory view of connectors.config, like Kafka Connect's config topic reader: read from the beginning at
 * start, then follow. Router, senders, ingest and integration-service each hold one; there is no other database.
 * Reads are lock-free; each workspace's integrations are replaced as a whole so a reader never sees half an update.
 */
public final class ConfigView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigView.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<String, Map<String, IntegrationConfig>> integrationsByWorkspace = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> apiKeysBySha256 = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> apiKeysById = new ConcurrentHashMap<>();
    /** Next offset to read, per partition: what read-your-writes waits on. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public ConfigView(String bootstrapServers, String topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "config-view-" + ProcessHandle.current().pid());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().daemon().name("connectors-config-view").unstarted(this::run);
    }

    public ConfigView start() {
        thread.start();
        return this;
    }

    /** Waits until everything that was on the topic at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until the record at {@code offset} of {@code partition} is visible here (read-your-writes). */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.getOrDefault(partition, 0L) <= offset) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2); // the view thread applies within one poll; a condition variable would not be simpler
        }
        return true;
    }

    public List<IntegrationConfig> integrations(String workspaceId) {
        return integrationsByWorkspace.getOrDefault(workspaceId, Map.of()).values().stream()
                .sorted(Comparator.comparing(IntegrationConfig::createdAt).thenComparing(IntegrationConfig::id))
                .toList();
    }

    public Optional<IntegrationConfig> integration(String workspaceId, String id) {
        return Optional.ofNullable(integrationsByWorkspace.getOrDefault(workspaceId, Map.of()).get(id));
    }

    public int workspaceCount() {
        return integrationsByWorkspace.size();
    }

    public Optional<ApiKeyRecord> apiKeyBySha256(String sha256) {
        return Optional.ofNullable(apiKeysBySha256.get(sha256));
    }

    public List<ApiKeyRecord> apiKeys(String workspaceId) {
        return apiKeysById.values().stream().filter(k -> k.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt)).toList();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                for (TopicPartition tp : partitions) {
                    positions.put(tp.partition(), consumer.position(tp));
                }
                if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey().partition(), 0L) >= e.getValue())) {
                    log.info("connectors.config loaded: {} workspaces", integrationsByWorkspace.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("connectors.config view stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    /** The topic's partitions; retried while Kafka is unreachable or the topic does not exist yet. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                log.warn("topic {} does not exist yet; waiting for it", topic);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("cannot reach Kafka to load {} yet: {}", topic, e.getMessage());
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        ConfigKey key;
        Object value;
        try {
            key = ConfigKey.parse(record.key());
            value = record.value() == null ? null : ConfigCodec.decode(key, record.value());
        } catch (Exception e) {
            // only integration-service writes here; a bad record is a bug to see, not a reason to stop the view
            log.error("skipping unreadable connectors.config record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        switch (key.kind()) {
            case ConfigKey.INTEGRATION -> integrationsByWorkspace.compute(key.workspaceId(), (ws, old) -> {
                Map<String, IntegrationConfig> next = new ConcurrentHashMap<>(old == null ? Map.of() : old);
                if (value == null) {
                    next.remove(key.id());
                } else {
                    next.put(key.id(), (IntegrationConfig) value);
                }
                return next.isEmpty() ? null : Map.copyOf(next);
            });
            case ConfigKey.API_KEY -> {
                ApiKeyRecord old = apiKeysById.remove(key.id());
                if (old != null) {
                    apiKeysBySha256.remove(old.sha256());
                }
                if (value instanceof ApiKeyRecord apiKey) {
                    apiKeysById.put(apiKey.id(), apiKey);
                    apiKeysBySha256.put(apiKey.sha256(), apiKey);
                }
            }
            default -> {
                // a kind from a newer writer: ignored by this reader
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
