package com.messagingconnectors.router;

import com.messagingconnectors.config.group.GroupMembership;
import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Wires the router's transactional loop to Kafka, the registry and the live connectors.config view. */
@Configuration(proxyBeanMethods = false)
class RouterConfiguration {

    @Bean(destroyMethod = "close")
    ConfigView configView(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                          @Value("${connectors.config.topic}") String topic) throws InterruptedException {
        ConfigView view = new ConfigView(bootstrap, topic).start();
        // routing with a half-loaded config would drop events of workspaces not read yet
        if (!view.awaitCaughtUp(Duration.ofSeconds(120))) {
            throw new IllegalStateException("could not load " + topic + " from " + bootstrap + " within 120 s");
        }
        return view;
    }

    @Bean
    RoutingEngine routingEngine() {
        return new RoutingEngine();
    }

    /**
     * Muted counts go to connectors.status on a producer of their own: idempotent but not transactional, because the
     * router's producer can send only inside its event transactions and status is a hint, not part of the fan-out.
     */
    @Bean(destroyMethod = "close")
    MutedReports mutedReports(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                              @Value("${connectors.router.muted-status-interval}") Duration interval) {
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new MutedReports(KafkaClientMeters.bound(
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())),
                Topics.CONNECTORS_STATUS, interval, Clock.systemUTC());
    }

    @Bean
    TransactionalRouter transactionalRouter(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                                            @Value("${connectors.schema-registry.url}") String registryUrl,
                                            @Value("${connectors.router.input-topic}") String inputTopic,
                                            @Value("${connectors.router.group-id}") String groupId,
                                            @Value("${connectors.router.transactional-id}") String transactionalId,
                                            @Value("${connectors.router.max-poll-records}") int maxPollRecords,
                                            @Value("${connectors.router.transaction-timeout-ms}") int txTimeoutMs,
                                            @Value("${connectors.router.transaction-linger}") Duration linger,
                                            @Value("${connectors.router.transaction-max-records}") int maxRecords,
                                            ConfigView config, RoutingEngine engine, MutedReports mutedReports,
                                            MeterRegistry meters) {
        Properties consumerProps = KafkaClients.properties(bootstrap);
        GroupMembership.apply(consumerProps, groupId);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        Properties producerProps = KafkaClients.properties(bootstrap);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, txTimeoutMs);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
        AvroDeserializer<PlatformEvent> events = new AvroDeserializer<>();
        events.configure(serdeConfig, false);
        AvroSerializer<Notification> notifications = new AvroSerializer<>();
        notifications.configure(serdeConfig, false);
        Gauge.builder("connectors.router.config.workspaces", config, ConfigView::workspaceCount)
                .description("workspaces with integrations in the live config").register(meters);
        return new TransactionalRouter(
                KafkaClientMeters.bound(
                        new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())),
                KafkaClientMeters.bound(
                        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())),
                events, notifications, config, engine, mutedReports, meters, Clock.systemUTC(), inputTopic, groupId,
                linger, maxRecords);
    }

    /** Runs the loop on its own thread while the application runs; stops it (and waits) on shutdown. */
    @Bean
    SmartLifecycle routerLoop(TransactionalRouter router) {
        return new SmartLifecycle() {
            private Thread thread;

            @Override
            public void start() {
                thread = Thread.ofPlatform().name("router-loop").start(router);
            }

            @Override
            public void stop() {
                router.stop();
                try {
                    thread.join(Duration.ofSeconds(15));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public boolean isRunning() {
                return thread != null && thread.isAlive();
            }
        };
    }

    /** Liveness includes the loop: a fenced or crashed loop makes the instance unhealthy. */
    @Bean
    HealthIndicator routerHealth(TransactionalRouter router, ConfigView config) {
        return () -> router.healthy() && config.isCaughtUp()
                ? Health.up().build()
                : Health.down().withDetail("reason", router.healthy() ? "config not loaded" : "routing loop stopped")
                        .build();
    }

    /**
     * Readiness also waits for the group: until the router holds its partitions of platform.events, events sent now
     * would wait for it (after an unclean stop, for a whole session timeout).
     */
    @Bean
    HealthIndicator routerReadiness(TransactionalRouter router, ConfigView config) {
        return () -> {
            if (!router.healthy() || !config.isCaughtUp()) {
                return Health.down().withDetail("reason", router.healthy() ? "config not loaded" : "routing loop stopped")
                        .build();
            }
            return router.assignment().joined()
                    ? Health.up().withDetail("partitions", router.assignment().partitionCount()).build()
                    : Health.down().withDetail("reason", "not yet assigned its partitions").build();
        };
    }
}
