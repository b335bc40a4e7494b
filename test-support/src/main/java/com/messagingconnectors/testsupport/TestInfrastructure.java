package com.messagingconnectors.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import com.messagingconnectors.registry.SchemaRegistryServer;

/**
 * One real Kafka broker and one schema registry per test JVM, shared by every test in it.
 *
 * <p>Broker, first that applies: the {@code KAFKA_BOOTSTRAP_SERVERS} environment variable; an {@code apache/kafka}
 * Testcontainer when a Docker daemon answers; otherwise an embedded single-node KRaft broker (spring-kafka-test).
 * Schema registry: {@code SCHEMA_REGISTRY_URL}, otherwise our in-process {@link SchemaRegistryServer} on that
 * broker. Both start lazily on first use and stop from one JVM shutdown hook (registry first).
 *
 * <p>Plain JUnit: call {@link #bootstrapServers()} / {@link #schemaRegistryUrl()} in a {@code @BeforeAll}.
 * Spring Boot tests:
 * <pre>{@code
 * @DynamicPropertySource
 * static void kafka(DynamicPropertyRegistry registry) {
 *     registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
 *     registry.add("spring.cloud.stream.kafka.binder.brokers", TestInfrastructure::bootstrapServers);
 *     registry.add("schema.registry.url", TestInfrastructure::schemaRegistryUrl);
 * }
 * }</pre>
 */
public final class TestInfrastructure {

    /** Image used when Docker is available: the same Kafka version as the clients (managed by Spring Boot). */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static String bootstrapServers;
    private static String schemaRegistryUrl;
    private static final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    private TestInfrastructure() {
    }

    /** Bootstrap servers of the broker shared by this test JVM; starts it on first call. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = startBroker();
        }
        return bootstrapServers;
    }

    /** Base URL (no trailing slash) of the schema registry shared by this test JVM; starts it on first call. */
    public static synchronized String schemaRegistryUrl() {
        if (schemaRegistryUrl == null) {
            schemaRegistryUrl = startSchemaRegistry();
        }
        return schemaRegistryUrl;
    }

    /**
     * Creates the topics if they do not exist yet (idempotent: an existing topic is left as it is, whatever its
     * partition count).
     */
    public static void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("could not create topic " + name + ": " + e, e);
                }
            });
        }
    }

    /** Admin client properties for the shared broker. */
    public static Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return props;
    }

    /** Producer properties (String keys, byte[] values, acks=all, idempotent); override what you need. */
    public static Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * Consumer properties for a fresh group (String keys, byte[] values, earliest, read_committed, no auto commit);
     * override what you need.
     */
    public static Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static String startBroker() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            log.info("Test Kafka broker: external, KAFKA_BOOTSTRAP_SERVERS={}", fromEnv);
            return fromEnv;
        }
        if (DockerProbe.dockerAnswers()) {
            return KafkaTestcontainer.start();
        }
        return startEmbeddedBroker();
    }

    private static String startEmbeddedBroker() {
        long started = System.nanoTime();
        QuietLogs.apply();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        // single broker: internal topics must accept replication factor 1, so Kafka transactions and groups work
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "true",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        closeAtExit(broker::destroy);
        String servers = broker.getBrokersAsString();
        log.info("Test Kafka broker: embedded KRaft broker at {} (no KAFKA_BOOTSTRAP_SERVERS, no Docker), ready in {} ms",
                servers, (System.nanoTime() - started) / 1_000_000);
        return servers;
    }

    private static String startSchemaRegistry() {
        String fromEnv = System.getenv("SCHEMA_REGISTRY_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            log.info("Test schema registry: external, SCHEMA_REGISTRY_URL={}", fromEnv);
            return stripTrailingSlash(fromEnv);
        }
        SchemaRegistryServer server = new SchemaRegistryServer(bootstrapServers(), 0).start();
        closeAtExit(server::close);
        String url = stripTrailingSlash(server.url());
        log.info("Test schema registry: in-process at {}", url);
        return url;
    }

    /**
     * Stops what was started, newest first (the registry before the broker it uses), from one shutdown hook: separate
     * hooks would run at the same time.
     */
    private static synchronized void closeAtExit(AutoCloseable resource) {
        if (toClose.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::closeAll, "test-infrastructure-shutdown"));
        }
        toClose.push(resource);
    }

    private static synchronized void closeAll() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                // the JVM is exiting; keep closing the rest
            }
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Asks Testcontainers whether a Docker daemon answers, without hanging or failing when there is none. */
    static final class DockerProbe {
        static boolean dockerAnswers() {
            // Fast path: no socket and no DOCKER_HOST means no daemon; don't let Testcontainers search and log.
            boolean socket = Files.exists(Path.of("/var/run/docker.sock"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
            String dockerHost = System.getenv("DOCKER_HOST");
            if (!socket && (dockerHost == null || dockerHost.isBlank())) {
                return false;
            }
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                log.info("Docker is not usable ({}); using the embedded Kafka broker", e.toString());
                return false;
            }
        }
    }

    /** Separate class so Testcontainers is loaded only when Docker is there. */
    static final class KafkaTestcontainer {
        static String start() {
            long started = System.nanoTime();
            var container = new org.testcontainers.kafka.KafkaContainer(KAFKA_IMAGE)
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
            container.start();
            closeAtExit(container::stop);
            String servers = container.getBootstrapServers();
            log.info("Test Kafka broker: Testcontainers {} at {}, ready in {} ms",
                    KAFKA_IMAGE, servers, (System.nanoTime() - started) / 1_000_000);
            return servers;
        }
    }
}
