package com.messagingconnectors.registry;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real embedded KRaft broker and one registry on it per test JVM, shared by every test class of this module
 * (test-support can't be used here: it depends on this module). Stopped when the JVM exits.
 */
final class TestKafka {
    private static EmbeddedKafkaKraftBroker broker;
    private static SchemaRegistryServer registry;

    private TestKafka() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
            started.brokerProperties(Map.of(
                    "offsets.topic.replication.factor", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.num.partitions", "1",
                    "group.initial.rebalance.delay.ms", "0"));
            started.afterPropertiesSet();
            broker = started;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-shutdown"));
        }
        return broker.getBrokersAsString();
    }

    /** The shared registry, storing in {@code _schemas}. Tests use their own subjects, so they don't interfere. */
    static synchronized String registryUrl() {
        if (registry == null) {
            registry = new SchemaRegistryServer(bootstrapServers(), 0).start();
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "schema-registry-shutdown"));
        }
        return registry.url();
    }
}
