package com.messagingconnectors.delivery.alerts;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.config.store.TopicFollower;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which chat message a channel posted for an alert, so that its {@code alert.resolved} can update or answer that
 * message: compacted topic {@code connectors.alert-messages}, key {@code <destinationId>␞<alertId>}, value JSON
 * {@code {"postedAt": epoch millis, "reference": {…}}} where the reference is the channel's own (Slack: channel and
 * ts; Teams: the message id). Every sender instance reads the whole topic at start and follows it live, because the
 * instance that resolves an alert need not be the one that posted it. Entries older than {@code retention} are
 * treated as unknown (the topic deletes them too), and the alert's resolution is then posted as a new message.
 */
public final class AlertMessages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertMessages.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Between destination id and alert id: a character neither contains (ids are ASCII). */
    public static final String SEPARATOR = "\u241e";
    public static final String TRIGGERED = "alert.triggered";
    public static final String RESOLVED = "alert.resolved";

    /** A remembered message: the channel's reference to it and when it was posted. */
    public record Posted(Map<String, String> reference, long postedAt) {
    }

    private static final long EVICTION_EVERY_MS = 60_000;

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, Posted> posted = new ConcurrentHashMap<>();
    private final TopicFollower follower;
    private final AtomicLong lastEviction;

    /** @param reader a consumer with no group; this store closes it */
    public AlertMessages(KafkaConsumer<String, byte[]> reader, String topic, Producer<byte[], byte[]> producer,
            Duration retention, Clock clock) {
        this.topic = topic;
        this.producer = producer;
        this.retention = retention;
        this.clock = clock;
        this.lastEviction = new AtomicLong(clock.millis());
        this.follower = new TopicFollower(reader, topic, this::apply,
                () -> log.info("alert messages {} loaded: {} alerts", topic, size()));
    }

    /** The alert id of an {@code alert.triggered} event, or null for any other event. */
    public static String triggeredAlertId(PlatformEvent event) {
        return TRIGGERED.equals(event.getType()) && event.getPayload() instanceof AlertTriggered a ? a.getAlertId()
                : null;
    }

    /** The alert id of an {@code alert.resolved} event, or null for any other event. */
    public static String resolvedAlertId(PlatformEvent event) {
        return RESOLVED.equals(event.getType()) && event.getPayload() instanceof AlertResolved r ? r.getAlertId()
                : null;
    }

    public static String key(String destinationId, String alertId) {
        return destinationId + SEPARATOR + alertId;
    }

    /** Starts following; waits (bounded) until what was on the topic at start is in memory. */
    public AlertMessages start(Duration catchUpTimeout) throws InterruptedException {
        follower.start();
        if (!follower.awaitCaughtUp(catchUpTimeout)) {
            log.warn("alert messages {} not loaded after {}; not ready until they are", topic, catchUpTimeout);
        }
        return this;
    }

    /** True once everything on the topic at start was read (readiness waits for it). */
    public boolean isLoaded() {
        return follower.isCaughtUp();
    }

    /** Why following stopped while it should run, or null. */
    public Throwable failure() {
        return follower.failure();
    }

    /** The message posted for this alert at this destination, unless unknown or older than the retention. */
    public Optional<Posted> find(String destinationId, String alertId) {
        Posted p = posted.get(key(destinationId, alertId));
        return p == null || p.postedAt() < clock.millis() - retention.toMillis() ? Optional.empty() : Optional.of(p);
    }

    /**
     * Remembers the message posted for an alert, here at once and on the topic, waiting (bounded) for the broker, so
     * that the delivery is committed only after another instance can know it. Failing to write it is logged, not
     * thrown: the alert was delivered; its resolution would then arrive as a new message.
     */
    public void remember(String destinationId, String alertId, Map<String, String> reference) {
        String key = key(destinationId, alertId);
        Posted p = new Posted(Map.copyOf(reference), clock.millis());
        forgetExpired();
        posted.put(key, p);
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), encode(p)))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not record the message of alert {} at {} on {}: {}", alertId, destinationId, topic,
                    e.toString());
        }
    }

    public int size() {
        return posted.size();
    }

    static byte[] encode(Posted p) {
        ObjectNode node = JSON.createObjectNode().put("postedAt", p.postedAt());
        ObjectNode reference = node.putObject("reference");
        new java.util.TreeMap<>(p.reference()).forEach(reference::put);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Posted decode(byte[] value) throws IOException {
        JsonNode node = JSON.readTree(value);
        Map<String, String> reference = new LinkedHashMap<>();
        node.path("reference").properties().forEach(e -> reference.put(e.getKey(), e.getValue().asString("")));
        return new Posted(Map.copyOf(reference), node.path("postedAt").asLong(0));
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        forgetExpired();
        if (record.value() == null) {
            posted.remove(key);
            return;
        }
        try {
            Posted p = decode(record.value());
            // our own write may come back after a newer local one; keep the newest
            posted.merge(key, p, (old, now) -> now.postedAt() >= old.postedAt() ? now : old);
        } catch (IOException | RuntimeException e) {
            log.warn("unreadable record {} on {} (offset {}): skipped", key, topic, record.offset());
        }
    }

    /** The topic deletes old records without tombstones: they are forgotten here too, so memory stays bounded. */
    private void forgetExpired() {
        long now = clock.millis();
        long last = lastEviction.get();
        if (now - last > EVICTION_EVERY_MS && lastEviction.compareAndSet(last, now)) {
            long oldest = now - retention.toMillis();
            posted.values().removeIf(p -> p.postedAt() < oldest);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
