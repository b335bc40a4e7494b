package com.messagingconnectors.config.store;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.schemas.KafkaClients;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a whole topic from the beginning on its own thread and then follows it (no consumer group: every instance
 * sees every record), like Kafka Connect's config-topic reader. Waits for Kafka and for the topic to exist instead of
 * failing. Knows when it has caught up with what was there at start, and how far it has read (read-your-writes).
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Runnable onCaughtUp;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Next offset to read, per partition. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final List<Runnable> whenStopped = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean stopped;
    private volatile Throwable failure;

    public TopicFollower(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> onRecord,
                         Runnable onCaughtUp) {
        this(reader(bootstrapServers, topic), topic, onRecord, onCaughtUp);
    }

    /** @param reader a consumer with no group, assigned nothing yet (e.g. tuned for the topic); the follower closes it */
    public TopicFollower(KafkaConsumer<String, byte[]> reader, String topic,
                         Consumer<ConsumerRecord<String, byte[]>> onRecord, Runnable onCaughtUp) {
        this.topic = topic;
        this.onRecord = onRecord;
        this.onCaughtUp = onCaughtUp;
        this.consumer = reader;
        this.thread = Thread.ofPlatform().daemon().name(topic + "-follower").unstarted(this::run);
    }

    private static KafkaConsumer<String, byte[]> reader(String bootstrapServers, String topic) {
        Properties props = KafkaClients.properties(bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, topic + "-follower-" + ProcessHandle.current().pid());
        return KafkaClientMeters.bound(new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()));
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** False once the follower has stopped on an error: the view no longer changes, so the process is broken. */
    public boolean isFollowing() {
        return !stopped;
    }

    /** Why the follower stopped while it should run, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Runs {@code action} (once, on the follower's thread) if the follower stops on an error rather than close. */
    public void whenStopped(Runnable action) {
        whenStopped.add(action);
    }

    /** Waits until the record at {@code offset} of {@code partition} has been handed to the callback. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.getOrDefault(partition, 0L) <= offset) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2); // the follower applies within one poll; a condition variable would not be simpler
        }
        return true;
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
                    try {
                        onRecord.accept(record);
                    } catch (RuntimeException e) {
                        // one bad record must not stop the follower: it is a bug to see, not a reason to stop
                        log.error("skipping unreadable {} record at partition {} offset {}: {}", topic,
                                record.partition(), record.offset(), e.toString());
                    }
                }
                for (TopicPartition tp : partitions) {
                    positions.put(tp.partition(), consumer.position(tp));
                }
                if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey().partition(), 0L) >= e.getValue())) {
                    onCaughtUp.run();
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException | Error e) {
            log.error("{} follower stopped: {}", topic, e.toString());
            failure = e;
        } finally {
            consumer.close();
            if (running) {
                stopped = true;
                whenStopped.forEach(Runnable::run);
            }
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
                log.warn("cannot reach Kafka to read {} yet: {}", topic, e.getMessage());
            } catch (WakeupException e) {
                return List.of();
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
