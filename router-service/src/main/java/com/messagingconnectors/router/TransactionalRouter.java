package com.messagingconnectors.router;

import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.routing.NotRouted;
import com.messagingconnectors.config.routing.Notifications;
import com.messagingconnectors.config.routing.Route;
import com.messagingconnectors.config.routing.RoutingDecision;
import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeadLetterHeaders;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's data path: poll a batch of platform.events, route each event with the live config, and write every
 * notification (and every dead-lettered record) plus the consumed offsets in ONE Kafka transaction. A crash before the
 * commit aborts the transaction — the batch is consumed again and its notifications, invisible to read_committed
 * readers, are written again; a crash after it loses nothing. So every fan-out happens exactly once.
 *
 * <p>Plain Kafka clients rather than a Spring Cloud Stream binding: one input record fans out to a variable number of
 * records on topics chosen per record, poison and output share the transaction, and the batch is the transaction
 * (see docs/decisions/0006-router-exactly-once-with-plain-kafka-transactions.md).
 */
public final class TransactionalRouter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalRouter.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroDeserializer<PlatformEvent> eventDeserializer;
    private final AvroSerializer<Notification> notificationSerializer;
    private final ConfigView config;
    private final RoutingEngine engine;
    private final MeterRegistry meters;
    private final Clock clock;
    private final String inputTopic;
    private final String groupId;
    private final Timer batchTimer;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean healthy = true;

    public TransactionalRouter(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                               AvroDeserializer<PlatformEvent> eventDeserializer,
                               AvroSerializer<Notification> notificationSerializer, ConfigView config,
                               RoutingEngine engine, MeterRegistry meters, Clock clock, String inputTopic,
                               String groupId) {
        this.consumer = consumer;
        this.producer = producer;
        this.eventDeserializer = eventDeserializer;
        this.notificationSerializer = notificationSerializer;
        this.config = config;
        this.engine = engine;
        this.meters = meters;
        this.clock = clock;
        this.inputTopic = inputTopic;
        this.groupId = groupId;
        this.batchTimer = Timer.builder("connectors.router.batch").description("one transaction: route a polled batch")
                .publishPercentileHistogram().register(meters);
    }

    /** False once the loop has stopped for good (fenced by a newer instance, or a fatal error): readiness fails. */
    public boolean healthy() {
        return healthy;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(inputTopic));
            while (running) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    routeInOneTransaction(batch);
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            log.error("router stopped: {} (another instance with the same transactional id took over, or the broker"
                    + " refused us); restart this instance", e.toString());
        } catch (RuntimeException e) {
            log.error("router stopped on an unexpected error", e);
        } finally {
            healthy = false;
            closeQuietly();
        }
    }

    private void routeInOneTransaction(ConsumerRecords<byte[], byte[]> batch) {
        Timer.Sample sample = Timer.start(meters);
        Map<String, Integer> tally = new HashMap<>();
        producer.beginTransaction();
        try {
            Instant now = clock.instant();
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                routeOne(record, now, tally);
            }
            producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
            producer.commitTransaction();
            tally.forEach((name, n) -> counter(name).increment(n));
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e; // fatal: this producer can never commit again
        } catch (KafkaException | TransientRoutingException e) {
            // Nothing of this batch is visible. Re-read it from the last committed offsets and try again.
            log.warn("routing batch of {} records aborted, will retry: {}", batch.count(), e.getMessage());
            abortQuietly();
            rewind(batch);
            sleep(RETRY_AFTER_FAILURE);
        } finally {
            sample.stop(batchTimer);
        }
    }

    private void routeOne(ConsumerRecord<byte[], byte[]> record, Instant now, Map<String, Integer> tally) {
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
        List<IntegrationConfig> integrations = config.integrations(event.getWorkspaceId());
        if (integrations.isEmpty()) {
            tally.merge("events.unknown_workspace", 1, Integer::sum);
            log.debug("no integrations for workspace={} eventId={}", event.getWorkspaceId(), event.getEventId());
            return;
        }
        RoutingDecision decision = engine.route(event, integrations);
        for (NotRouted skipped : decision.notRouted()) {
            tally.merge("not_routed." + skipped.reason().name(), 1, Integer::sum);
        }
        if (decision.routes().isEmpty()) {
            tally.merge("events.no_destination", 1, Integer::sum);
            return;
        }
        for (Route route : decision.routes()) {
            Notification notification = Notifications.of(event, route, now);
            String topic = Topics.notifications(route.kind().channel());
            producer.send(new ProducerRecord<>(topic, null, bytes(route.destinationId()),
                    notificationSerializer.serialize(topic, notification)));
            tally.merge("notifications." + route.kind().channel(), 1, Integer::sum);
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
        DeadLetterHeaders.addReason(headers, record, reason, groupId);
        producer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS_DLQ, null, record.key(), record.value(), headers));
        log.warn("dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(),
                Topics.PLATFORM_EVENTS_DLQ, reason.getMessage());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(records.getLast().offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).getFirst().offset());
        }
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
            consumer.close(Duration.ofSeconds(5));
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
