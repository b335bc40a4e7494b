package com.messagingconnectors.config.observe;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Binds a hand-built Kafka client's own metrics (consumer lag per partition, fetch and records rates, producer
 * errors and retries, request latency) to Micrometer, so they appear at /actuator/prometheus as
 * {@code kafka_consumer_*} and {@code kafka_producer_*} series. Wrap a long-lived client where it is built:
 * {@code consumer = KafkaClientMeters.bound(new KafkaConsumer<>(...))}.
 *
 * <p>Binds to Micrometer's global registry: Spring Boot adds its registries (Prometheus among them) to it, so the
 * call sites need no registry handed through their constructors. Every series carries a {@code group} tag (the
 * consumer group; "none" for producers and group-less readers such as the config follower) so that series of one
 * name (producers and consumers share some, e.g. kafka_app_info_*) always have the same tag keys, which Prometheus
 * requires. Meant for clients that live as long as the process; a closed client's series stay
 * until {@link #unbind} or the process ends.
 */
public final class KafkaClientMeters {
    /** Kafka registers most metrics lazily (per partition once assigned); look for new ones this often. */
    private static final String NO_GROUP = "none";
    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final ScheduledExecutorService REFRESHER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kafka-client-meters").factory());
    private static final Map<Object, KafkaClientMetrics> BOUND =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private KafkaClientMeters() {
    }

    public static <C extends Consumer<?, ?>> C bound(C consumer) {
        bind(consumer, new KafkaClientMetrics(consumer, List.of(Tag.of("group", groupOf(consumer))), REFRESHER,
                REFRESH));
        return consumer;
    }

    public static <P extends Producer<?, ?>> P bound(P producer) {
        bind(producer, new KafkaClientMetrics(producer, List.of(Tag.of("group", NO_GROUP)), REFRESHER, REFRESH));
        return producer;
    }

    /** Removes a client's series (for clients closed before the process ends). */
    public static void unbind(Object client) {
        KafkaClientMetrics metrics = BOUND.remove(client);
        if (metrics != null) {
            metrics.close();
        }
    }

    private static void bind(Object client, KafkaClientMetrics metrics) {
        metrics.bindTo(Metrics.globalRegistry);
        BOUND.put(client, metrics);
    }

    private static String groupOf(Consumer<?, ?> consumer) {
        try {
            return consumer.groupMetadata().groupId();
        } catch (KafkaException | IllegalStateException e) {
            return NO_GROUP; // an assign()-only reader without group.id
        }
    }
}
