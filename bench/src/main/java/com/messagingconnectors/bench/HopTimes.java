package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where each notification's time went, hop by hop, from the timestamps its records carry: a producer stamps every
 * record when it is sent (CreateTime, milliseconds), so {@code platform.events} says when ingest sent the event and
 * {@code notifications.webhook} when the router sent each notification. With when the event was due at the client and
 * when the notification reached the receiver, that splits POST → receiver into three hops:
 * <ol>
 * <li>due → ingest sent it: the HTTP request, ingest's parsing and validation (and a client-side queue, if any);</li>
 * <li>ingest sent → the router sent the notification: the broker's append, the router's fetch and routing;</li>
 * <li>the router sent → arrival: the rest of the router's transaction (linger, commit), the sender's read_committed
 * fetch, its lane and the HTTP delivery.</li>
 * </ol>
 * Read after a phase from the topics themselves (read_uncommitted, from the phase's start), so measuring adds nothing
 * to the path it measures.
 */
final class HopTimes {
    private final String bootstrapServers;
    private final String registry;
    /** A nanoTime and the wall clock at the same moment: record timestamps are wall-clock milliseconds. */
    private final long baseNanos = System.nanoTime();
    private final long baseEpochNanos = System.currentTimeMillis() * 1_000_000L;
    /** What was sent and what arrived this phase, by notification id. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    private volatile long phaseStartEpochMillis;

    private record Sent(String eventId, long dueNanos) {
    }

    /** One notification's moments in wall-clock milliseconds: due, ingest sent the event, router sent it, arrived. */
    private record Hops(long due, long ingestSent, long routerSent, long arrived) {
        long toIngest() {
            return ingestSent - due;
        }

        long toRouter() {
            return routerSent - ingestSent;
        }

        long toArrival() {
            return arrived - routerSent;
        }

        long total() {
            return arrived - due;
        }
    }

    HopTimes(String bootstrapServers, String registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    /** Forgets what came before (the warm-up, the last phase). */
    void begin() {
        sent.clear();
        arrivedAt.clear();
        phaseStartEpochMillis = epochMillis(System.nanoTime());
    }

    void due(String eventId, String notificationId, long dueNanos) {
        sent.put(notificationId, new Sent(eventId, dueNanos));
    }

    void arrived(String notificationId, long nanos) {
        arrivedAt.put(notificationId, nanos);
    }

    /** Prints one {@code HOPS} line for the phase: p50/p99/max of each hop over the notifications that arrived. */
    void print(String phase) {
        Set<String> eventIds = sent.values().stream().map(Sent::eventId).collect(Collectors.toSet());
        Map<String, Long> ingestSent = sendTimes(Topics.PLATFORM_EVENTS, PlatformEvent.class,
                PlatformEvent::getEventId, eventIds::contains);
        Map<String, Long> routerSent = sendTimes(Topics.notifications("webhook"), Notification.class,
                Notification::getNotificationId, arrivedAt.keySet()::contains);
        LatencyStats toIngest = new LatencyStats();
        LatencyStats toRouter = new LatencyStats();
        LatencyStats toArrival = new LatencyStats();
        int matched = 0;
        // per second of due time, the notification that took longest and its hops: is the tail spread or clustered?
        Map<Long, Hops> worstPerSecond = new HashMap<>();
        for (Map.Entry<String, Long> arrival : arrivedAt.entrySet()) {
            Sent event = sent.get(arrival.getKey());
            Long ingest = event == null ? null : ingestSent.get(event.eventId());
            Long router = routerSent.get(arrival.getKey());
            if (ingest == null || router == null) {
                continue;
            }
            matched++;
            Hops hops = new Hops(epochMillis(event.dueNanos()), ingest, router, epochMillis(arrival.getValue()));
            toIngest.recordNanos(hops.toIngest() * 1_000_000L);
            toRouter.recordNanos(hops.toRouter() * 1_000_000L);
            toArrival.recordNanos(hops.toArrival() * 1_000_000L);
            worstPerSecond.merge(hops.due() / 1000, hops, (a, b) -> a.total() >= b.total() ? a : b);
        }
        System.out.printf(Locale.ROOT, "HOPS phase=%s notifications=%d of %d (ms, from record timestamps: 1 ms"
                        + " resolution) due->ingest_sent %s | ingest_sent->router_sent %s | router_sent->arrived %s%n",
                phase, matched, arrivedAt.size(), brief(toIngest), brief(toRouter), brief(toArrival));
        worstPerSecond.values().stream().sorted(Comparator.comparingLong(Hops::total).reversed()).limit(5)
                .forEach(w -> System.out.printf(Locale.ROOT,
                        "HOPS phase=%s worst second: due %s total %d ms = %d + %d + %d%n", phase,
                        Instant.ofEpochMilli(w.due()), w.total(), w.toIngest(), w.toRouter(), w.toArrival()));
        System.out.flush();
    }

    private static String brief(LatencyStats stats) {
        return String.format(Locale.ROOT, "p50 %.0f p99 %.0f max %.0f", stats.percentileMillis(50),
                stats.percentileMillis(99), stats.maxMillis());
    }

    private long epochMillis(long nanoTime) {
        return (baseEpochNanos + nanoTime - baseNanos) / 1_000_000L;
    }

    /**
     * id → latest CreateTime of the records on {@code topic} since the phase began whose id is {@code wanted} (an
     * aborted transaction's copy and its retry both appear read_uncommitted: the later one was delivered).
     */
    private <T extends SpecificRecord> Map<String, Long> sendTimes(String topic, Class<T> type,
            Function<T, String> idOf, Predicate<String> wanted) {
        Map<String, Object> config = KafkaClients.config(bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        AvroDeserializer<T> avro = new AvroDeserializer<>();
        avro.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry), false);
        Map<String, Long> times = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = DigestBench.partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            // a second early: the phase's first records may carry a slightly earlier stamp than the bench's clock read
            partitions.forEach(tp -> since.put(tp, phaseStartEpochMillis - 1000));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(since);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = start.get(tp);
                consumer.seek(tp, at == null ? end.get(tp) : at.offset());
            }
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    String id;
                    try {
                        id = idOf.apply(type.cast(avro.deserialize(topic, record.value())));
                    } catch (RuntimeException notOurs) {
                        continue; // a record of another shape (a poison test's): not a hop of this run
                    }
                    if (wanted.test(id)) {
                        times.merge(id, record.timestamp(), Math::max);
                    }
                }
            }
        }
        return times;
    }
}
