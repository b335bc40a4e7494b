package com.messagingconnectors.registry;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's state: schemas by global id, versions per subject, compatibility settings. Kept in memory and
 * persisted, like Confluent's, as JSON records in the compacted topic {@code _schemas}: on start the topic is read
 * to its end; every change is written (acks=all, idempotent) and applied only after the broker acknowledged it.
 * One writer only: this store assumes it is the single registry instance on its topic.
 */
final class SchemaStore implements AutoCloseable {
    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** One registered version of a subject. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
    }

    private final String bootstrapServers;
    private final String topic;
    private final short replicationFactor;
    private KafkaProducer<String, String> producer;

    private final Map<String, TreeMap<Integer, SchemaVersion>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    SchemaStore(String bootstrapServers, String topic, short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.replicationFactor = replicationFactor;
    }

    /** Creates the topic if missing and reads it to the end, so nothing is served before the state is complete. */
    synchronized void start() throws Exception {
        createTopicIfMissing();
        Properties consumerProps = KafkaClients.properties(bootstrapServers);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(JSON.readTree(record.key()), record.value() == null ? null : JSON.readTree(record.value()));
                }
            }
        }
        Properties producerProps = KafkaClients.properties(bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
    }

    private void createTopicIfMissing() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.properties(bootstrapServers))) {
            NewTopic schemas = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(schemas)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    // ---- reads ----

    synchronized List<String> subjects() {
        return versionsBySubject.entrySet().stream()
                .filter(e -> e.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    synchronized List<Integer> versions(String subject) {
        return liveVersions(subject).stream().map(SchemaVersion::version).toList();
    }

    /** {@code version} -1 means the latest. */
    synchronized SchemaVersion version(String subject, int version) {
        List<SchemaVersion> live = liveVersions(subject);
        if (version == -1) {
            return live.getLast();
        }
        return live.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(version));
    }

    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    /** The live version of the subject holding exactly this schema. */
    synchronized SchemaVersion lookup(String subject, Schema schema) {
        String canonical = schema.toString();
        return liveVersions(subject).stream().filter(v -> v.schema().equals(canonical)).findFirst()
                .orElseThrow(() -> RegistryError.schemaNotFound("Schema"));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(levelBySubject.get(subject));
    }

    synchronized CompatibilityLevel effectiveLevel(String subject) {
        return levelBySubject.getOrDefault(subject, globalLevel);
    }

    /**
     * Why the candidate may not be registered under the subject at its compatibility level: checked against the
     * given version, or (version null) against the latest or, for transitive levels, every live version.
     */
    synchronized List<String> incompatibilities(String subject, Schema candidate, Integer version) {
        CompatibilityLevel level = effectiveLevel(subject);
        List<SchemaVersion> against;
        if (version != null) {
            against = List.of(version(subject, version));
        } else {
            List<SchemaVersion> live = versionsBySubject.containsKey(subject) ? liveVersionsOrEmpty(subject) : List.of();
            against = level.transitive || live.isEmpty() ? live : List.of(live.getLast());
        }
        List<String> problems = new ArrayList<>();
        for (SchemaVersion existing : against) {
            problems.addAll(level.problems(candidate, new Schema.Parser().parse(existing.schema()), existing.version()));
        }
        return problems;
    }

    // ---- writes: produced first, applied after the broker acknowledged ----

    /** Registers the schema under the subject, or returns the id it already has there. */
    synchronized int register(String subject, Schema schema) {
        String canonical = schema.toString();
        List<SchemaVersion> live = liveVersionsOrEmpty(subject);
        for (SchemaVersion existing : live) {
            if (existing.schema().equals(canonical)) {
                return existing.id();
            }
        }
        List<String> problems = incompatibilities(subject, schema, null);
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(subject, problems);
        }
        // Same schema text → same id in every subject, as Confluent assigns them.
        int id = idBySchema.getOrDefault(canonical, maxId + 1);
        TreeMap<Integer, SchemaVersion> all = versionsBySubject.get(subject);
        int version = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
        write(schemaKey(subject, version), schemaValue(new SchemaVersion(subject, version, id, canonical, false)),
                "registering a schema under subject " + subject);
        return id;
    }

    /** Soft-deletes every version of the subject; returns the deleted version numbers. */
    synchronized List<Integer> deleteSubject(String subject) {
        List<SchemaVersion> live = liveVersions(subject);
        for (SchemaVersion v : live) {
            write(schemaKey(subject, v.version()), schemaValue(withDeleted(v)), "deleting subject " + subject);
        }
        return live.stream().map(SchemaVersion::version).toList();
    }

    synchronized int deleteVersion(String subject, int version) {
        SchemaVersion v = version(subject, version);
        write(schemaKey(subject, v.version()), schemaValue(withDeleted(v)), "deleting a version of " + subject);
        return v.version();
    }

    /** Sets the compatibility level of a subject, or the global one when subject is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        ObjectNode value = JSON.createObjectNode().put("compatibilityLevel", level.name());
        write(configKey(subject), value, "updating the compatibility level");
    }

    /** Removes a subject's own level (it then follows the global one); returns the level it had. */
    synchronized CompatibilityLevel clearLevel(String subject) {
        CompatibilityLevel previous = subjectLevel(subject).orElseThrow(() -> RegistryError.subjectConfigNotFound(subject));
        write(configKey(subject), null, "deleting the compatibility level of " + subject);
        return previous;
    }

    private void write(ObjectNode key, ObjectNode value, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key.toString(), value == null ? null : value.toString()))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.storeError(what, e);
        } catch (ExecutionException e) {
            throw RegistryError.storeError(what, e.getCause());
        } catch (TimeoutException e) {
            throw RegistryError.storeError(what, new TimeoutException("no acknowledgement from Kafka at "
                    + bootstrapServers + " within " + WRITE_TIMEOUT.toSeconds() + " s"));
        }
        apply(key, value);
    }

    /** Applies one record of the log to the in-memory state; used when reading the topic and after each write. */
    private void apply(JsonNode key, JsonNode value) {
        switch (key.path("keytype").asString("")) {
            case "SCHEMA" -> {
                if (value == null) {
                    TreeMap<Integer, SchemaVersion> versions = versionsBySubject.get(key.path("subject").asString(""));
                    if (versions != null) {
                        versions.remove(key.path("version").asInt(0));
                    }
                    return;
                }
                SchemaVersion v = new SchemaVersion(value.path("subject").asString(""), value.path("version").asInt(0),
                        value.path("id").asInt(0), value.path("schema").asString(""), value.path("deleted").asBoolean(false));
                versionsBySubject.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
                schemaById.putIfAbsent(v.id(), v.schema());
                idBySchema.putIfAbsent(v.schema(), v.id());
                maxId = Math.max(maxId, v.id());
            }
            case "CONFIG" -> {
                JsonNode subject = key.path("subject");
                CompatibilityLevel level = value == null ? null
                        : CompatibilityLevel.valueOf(value.path("compatibilityLevel").asString(""));
                if (subject.isMissingNode() || subject.isNull()) {
                    globalLevel = level == null ? DEFAULT_LEVEL : level;
                } else if (level == null) {
                    levelBySubject.remove(subject.asString(""));
                } else {
                    levelBySubject.put(subject.asString(""), level);
                }
            }
            default -> {
                // Other record kinds (e.g. Confluent's NOOP or DELETE_SUBJECT) carry nothing this registry needs.
            }
        }
    }

    private List<SchemaVersion> liveVersions(String subject) {
        List<SchemaVersion> live = liveVersionsOrEmpty(subject);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return live;
    }

    private List<SchemaVersion> liveVersionsOrEmpty(String subject) {
        TreeMap<Integer, SchemaVersion> all = versionsBySubject.get(subject);
        return all == null ? List.of() : all.values().stream().filter(v -> !v.deleted()).toList();
    }

    private static SchemaVersion withDeleted(SchemaVersion v) {
        return new SchemaVersion(v.subject(), v.version(), v.id(), v.schema(), true);
    }

    private static ObjectNode schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1);
    }

    private static ObjectNode schemaValue(SchemaVersion v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema()).put("deleted", v.deleted());
    }

    private static ObjectNode configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.put("magic", 0);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
