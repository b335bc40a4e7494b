package com.messagingconnectors.router;

import com.messagingconnectors.config.group.GroupAssignment;
import com.messagingconnectors.config.group.GroupMembership;
import com.messagingconnectors.config.observe.Traces;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.routing.NotRouted;
import com.messagingconnectors.config.routing.NotRoutedReason;
import com.messagingconnectors.config.routing.Notifications;
import com.messagingconnectors.config.routing.Route;
import com.messagingconnectors.config.routing.RoutingDecision;
import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's data path: poll platform.events, route each event with the live config, and write every notification
 * (and every dead-lettered record) plus the consumed offsets in ONE Kafka transaction. A crash before the commit aborts
 * the transaction — its records are consumed again and their notifications, invisible to read_committed readers, are
 * written again; a crash after it loses nothing. So every fan-out happens exactly once.
 *
 * <p>A transaction costs the same few broker round trips and control records whether it holds one event or five
 * hundred. After a quiet spell the first poll is committed at once (an event alone is not held back); while events
 * keep coming — a transaction begins within {@code linger} of the last commit — it stays open across polls until
 * {@code linger} has passed or it holds {@code maxRecords}, so one-event-per-request traffic is committed a few
 * milliseconds' worth at a time instead of one event at a time.
 *
 * <p>Plain Kafka clients rather than a Spring Cloud Stream binding: one input record fans out to a variable number of
 * records on topics chosen per record, poison and output share the transaction, and the transaction spans polls
 * (see docs/decisions/0006-router-exactly-once-with-plain-kafka-transactions.md).
 */
public final class TransactionalRouter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalRouter.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroDeserializer<PlatformEvent> eventDeserializer;
    private final AvroSerializer<Notification> notificationSerializer;
    private final ConfigView config;
    private final RoutingEngine engine;
    private final MutedReports mutedReports;
    private final MeterRegistry meters;
    private final Clock clock;
    private final String inputTopic;
    private final String groupId;
    private final long lingerNanos;
    private final int maxRecords;
    private final Timer batchTimer;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private final GroupAssignment assignment = new GroupAssignment();
    /** The transaction being filled, or null between transactions. Only the loop thread touches it. */
    private OpenTransaction open;
    private long lastCommitNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    public TransactionalRouter(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                               AvroDeserializer<PlatformEvent> eventDeserializer,
                               AvroSerializer<Notification> notificationSerializer, ConfigView config,
                               RoutingEngine engine, MutedReports mutedReports, MeterRegistry meters, Clock clock,
                               String inputTopic, String groupId, Duration linger, int maxRecords) {
        this.consumer = consumer;
        this.producer = producer;
        this.eventDeserializer = eventDeserializer;
        this.notificationSerializer = notificationSerializer;
        this.config = config;
        this.engine = engine;
        this.mutedReports = mutedReports;
        this.meters = meters;
        this.clock = clock;
        this.inputTopic = inputTopic;
        this.groupId = groupId;
        this.lingerNanos = linger.toNanos();
        this.maxRecords = maxRecords;
        this.batchTimer = Timer.builder("connectors.router.batch")
                .description("one transaction: route the events of one or more polls and commit")
                .publishPercentileHistogram().register(meters);
    }

    /** False once the loop has stopped for good (fenced by a newer instance, or a fatal error): readiness fails. */
    public boolean healthy() {
        return healthy;
    }

    /** The partitions of platform.events this instance holds; it is ready once it has joined its group. */
    public GroupAssignment assignment() {
        return assignment;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(inputTopic), new CommitBeforeRevoke());
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(open == null ? IDLE_POLL
                        : Duration.ofNanos(Math.max(0, open.deadlineNanos - System.nanoTime())));
                if (!polled.isEmpty()) {
                    routeIntoOpenTransaction(polled);
                }
                if (open != null && open.due(System.nanoTime(), maxRecords)) {
                    commitOpenTransaction();
                }
            }
            commitOpenTransaction();
        } catch (WakeupException e) {
            // stop() was called; what the open transaction holds is committed, or aborted and read again later
            commitOpenTransactionQuietly();
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException e) {
            log.error("router stopped: {} (another instance with the same transactional or instance id took over, or"
                    + " the broker refused us); restart this instance", e.toString());
        } catch (RuntimeException e) {
            log.error("router stopped on an unexpected error", e);
        } finally {
            healthy = false;
            closeQuietly();
        }
    }

    private void routeIntoOpenTransaction(ConsumerRecords<byte[], byte[]> polled) {
        if (open == null) {
            long now = System.nanoTime();
            // the first poll after a quiet spell is committed at once; under load the transaction lingers
            boolean busy = now - lastCommitNanos < lingerNanos;
            producer.beginTransaction();
            open = new OpenTransaction(Timer.start(meters), busy ? now + lingerNanos : now);
        }
        try {
            Instant now = clock.instant();
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                try (Traces.Hop hop = Traces.hop("route", record.headers())) {
                    routeOne(record, now, open);
                }
                open.add(record);
            }
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e; // fatal: this producer can never commit again
        } catch (KafkaException | TransientRoutingException e) {
            abortAndRewind(e);
        }
    }

    private void commitOpenTransaction() {
        if (open == null) {
            return;
        }
        OpenTransaction committing = open;
        try {
            producer.sendOffsetsToTransaction(committing.nextOffsets, consumer.groupMetadata());
            producer.commitTransaction();
            committing.tally.forEach((name, n) -> counter(name).increment(n));
            mutedReports.add(committing.muted);
            committing.sample.stop(batchTimer);
            open = null;
            lastCommitNanos = System.nanoTime();
        } catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            abortAndRewind(e);
        }
    }

    private void commitOpenTransactionQuietly() {
        try {
            commitOpenTransaction();
        } catch (RuntimeException e) {
            log.warn("could not commit the open transaction on stop (its events are read again): {}", e.getMessage());
        }
    }

    /** Nothing of the open transaction is visible. Re-read its records from where it began and try again. */
    private void abortAndRewind(Exception cause) {
        OpenTransaction aborted = open;
        open = null;
        log.warn("routing transaction of {} records aborted, will retry: {}", aborted.records, cause.getMessage());
        aborted.sample.stop(batchTimer);
        abortQuietly();
        Set<TopicPartition> held = consumer.assignment();
        aborted.firstOffsets.forEach((partition, offset) -> {
            if (held.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        sleep(RETRY_AFTER_FAILURE);
    }

    /**
     * Offsets can only be committed for partitions still held: the open transaction is committed before a rebalance
     * takes partitions away, and aborted when they were lost (their new owner reads them again).
     */
    private final class CommitBeforeRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignment.assigned(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                commitOpenTransaction();
            }
            assignment.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (open != null) {
                OpenTransaction lost = open;
                open = null;
                lost.sample.stop(batchTimer);
                abortQuietly();
            }
            assignment.revoked(partitions);
        }
    }

    /** What the open transaction holds: where each partition began (to rewind) and the offsets to commit. */
    private static final class OpenTransaction {
        final Timer.Sample sample;
        final long deadlineNanos;
        final Map<String, Integer> tally = new HashMap<>();
        /** Muted events by integration id, reported on connectors.status once committed. */
        final Map<String, MutedReports.Muted> muted = new HashMap<>();
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
        int records;

        OpenTransaction(Timer.Sample sample, long deadlineNanos) {
            this.sample = sample;
            this.deadlineNanos = deadlineNanos;
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            firstOffsets.putIfAbsent(partition, record.offset());
            nextOffsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
            records++;
        }

        boolean due(long nowNanos, int maxRecords) {
            return nowNanos >= deadlineNanos || records >= maxRecords;
        }
    }

    private void routeOne(ConsumerRecord<byte[], byte[]> record, Instant now, OpenTransaction transaction) {
        Map<String, Integer> tally = transaction.tally;
        PlatformEvent event;
        try {
            event = eventDeserializer.deserialize(record.topic(), record.value());
            if (event == null) {
                throw new SerializationException("record has no value (null)");
            }
        } catch (SerializationException e) {
            if (isTransient(e)) {
                throw new TransientRoutingException("schema registry unavailable: " + e.getMessage(), e);
            }
            deadLetter(record, e);
            tally.merge("events.dead_lettered", 1, Integer::sum);
            return;
        }
        Traces.logField("event.id", event.getEventId());
        Traces.logField("workspace.id", event.getWorkspaceId());
        List<IntegrationConfig> integrations = config.integrations(event.getWorkspaceId());
        if (integrations.isEmpty()) {
            tally.merge("events.unknown_workspace", 1, Integer::sum);
            log.debug("no integrations for workspace={} eventId={}", event.getWorkspaceId(), event.getEventId());
            return;
        }
        RoutingDecision decision = engine.route(event, integrations, now);
        String lastMuted = null;
        for (NotRouted skipped : decision.notRouted()) {
            tally.merge("not_routed." + skipped.reason().name(), 1, Integer::sum);
            // an event counts once per integration, however many of its muted rules matched (they are adjacent)
            if (skipped.reason() == NotRoutedReason.muted && !skipped.integrationId().equals(lastMuted)) {
                lastMuted = skipped.integrationId();
                MutedReports.count(transaction.muted, event.getWorkspaceId(), skipped);
            }
        }
        if (decision.routes().isEmpty()) {
            tally.merge("events.no_destination", 1, Integer::sum);
            return;
        }
        for (Route route : decision.routes()) {
            Notification notification = Notifications.of(event, route, now);
            // grouped, deduplicated or capped routes pass the digest stage; all others go straight to their sender
            String topic = route.noiseControl() != null ? Topics.DIGEST_INPUT
                    : Topics.notifications(route.kind().channel());
            producer.send(new ProducerRecord<>(topic, null, bytes(route.destinationId()),
                    notificationSerializer.serialize(topic, notification), Traces.currentHeaders(null)));
            tally.merge("notifications." + (route.noiseControl() != null ? "digest" : route.kind().channel()), 1,
                    Integer::sum);
        }
        tally.merge("events.routed", 1, Integer::sum);
        log.debug("routed eventId={} type={} destinations={}", event.getEventId(), event.getType(),
                decision.routes().size());
    }

    /** A registry that is down or erroring is not the record's fault: retry instead of dead-lettering. */
    static boolean isTransient(SerializationException e) {
        return e.getCause() instanceof SchemaRegistryException registry && !registry.isNotFound()
                && (registry.httpStatus() == 0 || registry.httpStatus() >= 500);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeliveryHeaders.addReason(headers, record, reason, groupId);
        producer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS_DLQ, null, record.key(), record.value(), headers));
        log.warn("dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(),
                Topics.PLATFORM_EVENTS_DLQ, reason.getMessage());
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> {
            String[] parts = n.split("\\.", 2);
            return switch (parts[0]) {
                case "events" -> meters.counter("connectors.router.events", "outcome", parts[1]);
                case "notifications" -> meters.counter("connectors.router.notifications", "channel", parts[1]);
                default -> meters.counter("connectors.router.not_routed", "reason", parts[1]);
            };
        });
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.warn("abort failed: {}", e.getMessage());
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(GroupMembership.close(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            log.debug("consumer close: {}", e.getMessage());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("producer close: {}", e.getMessage());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A failure that is not the batch's fault; the batch is retried. */
    static final class TransientRoutingException extends RuntimeException {
        TransientRoutingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
