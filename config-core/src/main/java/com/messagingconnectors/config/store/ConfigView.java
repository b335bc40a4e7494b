package com.messagingconnectors.config.store;

import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live in-memory view of connectors.config, like Kafka Connect's config topic reader: read from the beginning at
 * start, then follow. Router, senders, ingest and integration-service each hold one; there is no other database.
 * Reads are lock-free; each workspace's integrations are replaced as a whole so a reader never sees half an update.
 */
public final class ConfigView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigView.class);

    private final TopicFollower follower;
    private final Map<String, Map<String, IntegrationConfig>> integrationsByWorkspace = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> apiKeysBySha256 = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> apiKeysById = new ConcurrentHashMap<>();

    public ConfigView(String bootstrapServers, String topic) {
        this.follower = new TopicFollower(bootstrapServers, topic, this::apply,
                () -> log.info("{} loaded: {} workspaces", topic, integrationsByWorkspace.size()));
    }

    public ConfigView start() {
        follower.start();
        return this;
    }

    /** Waits until everything that was on the topic at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /** False once following connectors.config has stopped on an error (liveness: restart this process). */
    public boolean isFollowing() {
        return follower.isFollowing();
    }

    /** Runs {@code action} if following stops on an error. */
    public void whenStopped(Runnable action) {
        follower.whenStopped(action);
    }

    /** Waits until the record at {@code offset} of {@code partition} is visible here (read-your-writes). */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        return follower.awaitApplied(partition, offset, timeout);
    }

    public List<IntegrationConfig> integrations(String workspaceId) {
        return integrationsByWorkspace.getOrDefault(workspaceId, Map.of()).values().stream()
                .sorted(Comparator.comparing(IntegrationConfig::createdAt).thenComparing(IntegrationConfig::id))
                .toList();
    }

    /** Every integration of every workspace (e.g. to re-seal their secrets). */
    public List<IntegrationConfig> allIntegrations() {
        return integrationsByWorkspace.values().stream().flatMap(m -> m.values().stream()).toList();
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

    private void apply(ConsumerRecord<String, byte[]> record) {
        ConfigKey key = ConfigKey.parse(record.key());
        Object value;
        try {
            value = record.value() == null ? null : ConfigCodec.decode(key, record.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        switch (key.kind()) {
            case ConfigKey.INTEGRATION -> integrationsByWorkspace.compute(key.workspaceId(), (ws, old) -> {
                Map<String, IntegrationConfig> next = new java.util.HashMap<>(old == null ? Map.of() : old);
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
        follower.close();
    }
}
