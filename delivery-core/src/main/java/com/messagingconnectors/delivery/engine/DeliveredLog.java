package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.schemas.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification ids a channel has delivered: compacted topic {@code notifications.<channel>.delivered} (key =
 * notification id, value = delivery time in epoch millis), read from the start when the sender starts and followed
 * live (so instances see each other's deliveries), kept in memory for {@code retention}. A late retry, a duplicate
 * or a replay of something already delivered is skipped instead of sent twice.
 */
public final class DeliveredLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveredLog.class);

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread follower;
    private volatile boolean running = true;

    public DeliveredLog(String bootstrapServers, String topic, Producer<byte[], byte[]> producer, Duration retention,
            Clock clock) {
        this.topic = topic;
        this.producer = producer;
        this.retention = retention;
        this.clock = clock;
        Properties properties = KafkaClients.properties(bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, topic + "-reader");
        // Other instances' deliveries may arrive a quarter second late (dedupe of replays and late retries does not
        // need them sooner); fetching them in larger batches halved what following the log cost this sender at
        // thousands of deliveries per second (one small fetch per delivery before).
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 250);
        this.consumer = new KafkaConsumer<>(properties);
        this.follower = Thread.ofPlatform().daemon().name(topic + "-follower").unstarted(this::follow);
    }

    /** Starts reading; waits (bounded) until what was on the topic at start is in memory. */
    public DeliveredLog start(Duration catchUpTimeout) throws InterruptedException {
        follower.start();
        if (!caughtUp.await(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("delivered log {} not caught up after {}; continuing (dedupe may miss older deliveries)", topic,
                    catchUpTimeout);
        }
        return this;
    }

    public boolean contains(String notificationId) {
        Long at = deliveredAt.get(notificationId);
        return at != null && at >= clock.millis() - retention.toMillis();
    }

    /** Remembers a delivery here at once and on the topic for the other instances and the next start. */
    public void delivered(String notificationId) {
        long now = clock.millis();
        deliveredAt.put(notificationId, now);
        producer.send(new ProducerRecord<>(topic, notificationId.getBytes(StandardCharsets.UTF_8),
                Long.toString(now).getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                    if (error != null) {
                        log.warn("could not record delivery of notificationId={} on {}: {}", notificationId, topic,
                                error.toString());
                    }
                });
    }

    public int size() {
        return deliveredAt.size();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long lastEviction = clock.millis();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.value() != null) {
                        long at = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
                        deliveredAt.merge(new String(record.key(), StandardCharsets.UTF_8), at, Math::max);
                    }
                }
                if (caughtUp.getCount() > 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                    log.info("delivered log {} loaded: {} notification ids", topic, deliveredAt.size());
                }
                if (clock.millis() - lastEviction > 60_000) {
                    long oldest = clock.millis() - retention.toMillis();
                    deliveredAt.values().removeIf(at -> at < oldest);
                    lastEviction = clock.millis();
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (RuntimeException e) {
            log.error("delivered log {} stopped following: {}", topic, e.toString());
            caughtUp.countDown();
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
