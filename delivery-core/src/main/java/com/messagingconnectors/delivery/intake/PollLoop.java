package com.messagingconnectors.delivery.intake;

import com.messagingconnectors.delivery.kafka.DeliveryKafka;
import com.messagingconnectors.delivery.lanes.Lanes;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import com.messagingconnectors.delivery.outcome.OutcomeWriter;
import com.messagingconnectors.delivery.outcome.RetryState;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake: one platform thread polls the channel topic and its retry topics, decodes each record and hands it to
 * its destination's lane; it never waits for a delivery. A retry-topic partition whose head is not due yet is
 * paused until it is (no spinning, no sleeping consumer); above {@code maxBuffered} pending records every partition is
 * paused (back-pressure). Offsets are committed every {@value #COMMIT_INTERVAL_MS} ms up to the lowest record not yet
 * done. If the loop dies, {@link #failure()} says why (the liveness probe then fails).
 */
public final class PollLoop {
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration REGISTRY_OUTAGE_PAUSE = Duration.ofSeconds(1);
    private static final long COMMIT_INTERVAL_MS = 300;

    /** Told once when the loop stops for another reason than {@link #stop()}. */
    public interface Death {
        void died(Throwable cause);
    }

    private final String mainTopic;
    /** Where notifications come for their first attempt; every other topic read is a retry topic. */
    private final Set<String> firstAttemptTopics;
    private final List<String> topics;
    private final DeliveryKafka kafka;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final AvroDeserializer<Notification> deserializer;
    private final Lanes lanes;
    private final OutcomeWriter outcomes;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final int maxBuffered;
    private final Duration shutdownTimeout;
    private final Death death;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<TopicPartition, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean started;
    private volatile boolean running;
    private volatile Throwable failure;

    /**
     * @param firstAttemptTopics the channel topic first, then the digest stage's output to the channel
     * @param retryTopics        the channel's retry topics
     */
    public PollLoop(String channel, List<String> firstAttemptTopics, List<String> retryTopics, DeliveryKafka kafka,
            Producer<byte[], byte[]> producer, AvroDeserializer<Notification> deserializer, Lanes lanes,
            OutcomeWriter outcomes, DeliveryMetrics metrics, Clock clock, int maxBuffered, Duration shutdownTimeout,
            Death death) {
        this.mainTopic = firstAttemptTopics.getFirst();
        this.firstAttemptTopics = Set.copyOf(firstAttemptTopics);
        List<String> all = new ArrayList<>(firstAttemptTopics);
        all.addAll(retryTopics);
        this.topics = List.copyOf(all);
        this.kafka = kafka;
        this.consumer = kafka.consumer();
        this.producer = producer;
        this.deserializer = deserializer;
        this.lanes = lanes;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBuffered = maxBuffered;
        this.shutdownTimeout = shutdownTimeout;
        this.death = death;
        this.thread = Thread.ofPlatform().name(channel + "-delivery").unstarted(this::run);
    }

    public void start() {
        started = true;
        running = true;
        thread.start();
    }

    /** True from {@link #start()} until the loop has stopped (asked to, or died). */
    public boolean isRunning() {
        return running;
    }

    /** True once the loop has stopped (asked to, or died) after {@link #start()}: readiness fails then. */
    public boolean hasStopped() {
        return started && !running;
    }

    /** Why the loop died, or null while it runs or when it was stopped on purpose. */
    public Throwable failure() {
        return failure;
    }

    /** Stops polling and shuts down gracefully (bounded); returns when the loop has ended. */
    public void stop(Duration wait) {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
        }
        join(wait);
    }

    /** A fatal error elsewhere (an attempt thread): the loop stops as if it had died itself. */
    public void kill(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
        }
    }

    private void join(Duration wait) {
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        kafka.subscribe(consumer, topics, new DeliveryKafka.Rebalance() {
            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                commitSync(partitions);
                partitions.forEach(p -> {
                    tracker.forget(p);
                    pausedUntil.remove(p);
                });
            }
        });
        long lastCommit = 0;
        long lastBacklog = 0;
        try {
            while (running) {
                applyPauses();
                for (ConsumerRecord<byte[], byte[]> record : poll()) {
                    take(record);
                }
                long nowMs = System.currentTimeMillis();
                if (nowMs - lastCommit >= COMMIT_INTERVAL_MS) {
                    commitAsync();
                    lastCommit = nowMs;
                }
                if (nowMs - lastBacklog >= 1000) {
                    metrics.retryBacklog(retryLag());
                    lastBacklog = nowMs;
                }
            }
        } catch (WakeupException stopping) {
            // stop() or kill() asked us to stop
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("delivery of {} stopped: {}", mainTopic, e.toString(), e);
        } finally {
            running = false;
            shutDown();
            if (failure != null) {
                death.died(failure);
            }
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> poll() {
        // records of a partition after one that is not due are dropped from this batch and re-read after the seek
        Set<TopicPartition> deferred = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (deferred.contains(partition)) {
                continue;
            }
            if (!firstAttemptTopics.contains(record.topic())) {
                Instant notBefore = notBefore(record);
                if (notBefore != null && notBefore.isAfter(clock.instant())) {
                    deferUntil(partition, record.offset(), notBefore);
                    deferred.add(partition);
                    continue;
                }
            }
            accepted.add(record);
        }
        return accepted;
    }

    /** Null when unreadable too: then {@link #take} dead-letters it as poison. */
    private static Instant notBefore(ConsumerRecord<byte[], byte[]> record) {
        try {
            return RetryState.notBefore(record.headers());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private void deferUntil(TopicPartition partition, long offset, Instant until) {
        consumer.seek(partition, offset);
        pausedUntil.put(partition, until);
    }

    /** Pauses partitions whose head is not due and, under backpressure, everything; resumes the rest. */
    private void applyPauses() {
        Instant now = clock.instant();
        pausedUntil.entrySet().removeIf(e -> !e.getValue().isAfter(now));
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> pause = new HashSet<>();
        boolean backpressure = tracker.pendingCount() >= maxBuffered;
        for (TopicPartition partition : assigned) {
            if (backpressure || pausedUntil.containsKey(partition)) {
                pause.add(partition);
            }
        }
        Set<TopicPartition> resume = new HashSet<>(consumer.paused());
        resume.removeAll(pause);
        resume.retainAll(assigned);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        Notification notification;
        RetryState state;
        try {
            notification = deserializer.deserialize(record.topic(), record.headers(), record.value());
            state = RetryState.of(record, !firstAttemptTopics.contains(record.topic()), clock.instant());
        } catch (SerializationException e) {
            if (registryOutage(e)) {
                // not poison: the registry is down; read it again shortly
                log.warn("schema registry unavailable while decoding {}-{}@{}; retrying: {}", record.topic(),
                        record.partition(), record.offset(), e.getMessage());
                deferUntil(new TopicPartition(record.topic(), record.partition()), record.offset(),
                        clock.instant().plus(REGISTRY_OUTAGE_PAUSE));
                return;
            }
            poison(record, e);
            return;
        } catch (RuntimeException unreadableState) {
            poison(record, new SerializationException("unreadable delivery state headers: " + unreadableState,
                    unreadableState));
            return;
        }
        lanes.submit(new Taken(record, notification, state, tracker));
    }

    private void poison(ConsumerRecord<byte[], byte[]> record, SerializationException e) {
        outcomes.poison(new Taken(record, null, RetryState.of(record, false, clock.instant()), tracker), e);
    }

    /** A registry that is down or failing (no answer, 5xx) is an outage, not a poison record. */
    public static boolean registryOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return registry.httpStatus() == 0 || registry.httpStatus() >= 500;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private long retryLag() {
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            if (!firstAttemptTopics.contains(partition.topic())) {
                lag += consumer.currentLag(partition).orElse(0);
            }
        }
        return lag;
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    tracker.committed(committed);
                } else {
                    log.warn("offset commit failed (will retry): {}", error.toString());
                }
            });
        }
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(tracker.committable());
        offsets.keySet().retainAll(partitions);
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
                tracker.committed(offsets);
            } catch (RuntimeException e) {
                log.warn("offset commit failed: {}", e.toString());
            }
        }
    }

    /** Lets in-flight attempts finish (bounded), flushes what they wrote, commits what is done, closes. */
    private void shutDown() {
        lanes.stop();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // shutdown only: waiting for in-flight attempts of other threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            producer.flush();
            commitSync(consumer.assignment());
        } catch (RuntimeException e) {
            log.warn("final commit failed: {}", e.toString());
        }
        kafka.close(consumer, Duration.ofSeconds(10));
        log.info("stopped delivering {}; {} attempts were still in flight (they will be redelivered)", mainTopic,
                metrics.inFlight());
    }
}
