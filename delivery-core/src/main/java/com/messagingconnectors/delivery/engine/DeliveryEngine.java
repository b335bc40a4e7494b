package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.DeliveryException;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.RateLimit;
import com.messagingconnectors.schemas.DeadLetterHeaders;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one channel's notifications: consumes {@code notifications.<channel>} and its retry topics (consumer
 * group {@code <channel>-sender}, read_committed), hands each record to its destination's lane, calls the channel,
 * and acts on the outcome: delivered (recorded in the {@link DeliveredLog}), retry (parked in the retry topic of the
 * next schedule step with a not-before), or dead-letter ({@code notifications.<channel>.dlq}).
 *
 * <p>Isolation: one lane per destination id with a concurrency cap and the channel's rate limit; a lane whose queue
 * is full or whose circuit is open parks its records in a retry topic rather than holding the partition. A retry
 * topic partition whose head is not due yet is paused, not spun. Offsets are committed only up to the lowest record
 * not yet done, so a crash redelivers (at-least-once) and loses nothing. See docs/decisions/0007.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    public static final String ATTEMPTS_HEADER = "connectors-dlt-attempts";
    public static final String FIRST_ATTEMPT_HEADER = "connectors-dlt-first-attempt";
    public static final String LAST_ATTEMPT_HEADER = "connectors-dlt-last-attempt";
    public static final String REASON_HEADER = "connectors-dlt-reason";
    static final String REPLAY_HEADER = "connectors-replay";
    private static final Duration REGISTRY_OUTAGE_PAUSE = Duration.ofSeconds(1);
    private static final long COMMIT_INTERVAL_MS = 300;

    private final NotificationChannel channel;
    private final DeliveryProperties properties;
    private final String bootstrapServers;
    private final ConfigView config;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final String mainTopic;
    private final String deadLetterTopic;
    private final String group;
    private final List<String> retryTopics = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final AvroDeserializer<Notification> deserializer = new AvroDeserializer<>();
    private final DeliveredLog deliveredLog;
    private final StatusReporter status;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<TopicPartition, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final Thread pollThread;
    private volatile boolean running;
    private volatile boolean stopping;

    // metrics
    private final MeterRegistry meters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong retryBacklog = new AtomicLong();
    private final AtomicInteger circuitsOpen = new AtomicInteger();
    private final Timer latency;
    private final Counter skipped;

    public DeliveryEngine(NotificationChannel channel, DeliveryProperties properties, String bootstrapServers,
            String schemaRegistryUrl, ConfigView config, MeterRegistry meters, Clock clock) {
        if (properties.schedule().size() < 2) {
            throw new IllegalArgumentException("connectors.delivery.schedule needs at least two entries");
        }
        this.channel = channel;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.clock = clock;
        this.meters = meters;
        this.schedule = new RetrySchedule(properties.schedule(), properties.jitter(), properties.retryFloor());
        this.mainTopic = Topics.notifications(channel.name());
        this.deadLetterTopic = Topics.deadLetter(channel.name());
        this.group = channel.name() + "-sender";
        for (int step = 1; step <= schedule.retrySteps(); step++) {
            retryTopics.add(RetrySchedule.retryTopic(mainTopic, step));
        }
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false);
        this.consumer = new KafkaConsumer<>(consumerProperties());
        this.producer = new KafkaProducer<>(producerProperties());
        this.deliveredLog = new DeliveredLog(bootstrapServers, mainTopic + ".delivered", producer,
                properties.deliveredRetention(), clock);
        this.status = new StatusReporter(producer, Topics.CONNECTORS_STATUS, properties.deliveredStatusInterval(),
                clock);
        this.pollThread = Thread.ofPlatform().name(channel.name() + "-delivery").unstarted(this::pollLoop);
        String name = channel.name();
        meters.gauge("connectors.delivery.in_flight", List.of(io.micrometer.core.instrument.Tag.of("channel", name)),
                inFlight);
        meters.gauge("connectors.delivery.retry_backlog",
                List.of(io.micrometer.core.instrument.Tag.of("channel", name)), retryBacklog);
        meters.gauge("connectors.delivery.circuits_open",
                List.of(io.micrometer.core.instrument.Tag.of("channel", name)), circuitsOpen);
        this.latency = Timer.builder("connectors.delivery.latency").description("event occurred → delivered")
                .tag("channel", name).publishPercentileHistogram().register(meters);
        this.skipped = Counter.builder("connectors.delivery.skipped").tag("channel", name)
                .tag("reason", "already_delivered").register(meters);
    }

    public String channelName() {
        return channel.name();
    }

    public boolean isRunning() {
        return running;
    }

    public DeliveredLog deliveredLog() {
        return deliveredLog;
    }

    /** Creates missing topics, loads the delivered log and the config, then starts consuming. */
    public DeliveryEngine start() {
        createTopics();
        try {
            deliveredLog.start(Duration.ofSeconds(30));
            if (!config.awaitCaughtUp(Duration.ofSeconds(30))) {
                log.warn("configuration not caught up after 30 s; starting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        running = true;
        pollThread.start();
        log.info("delivering {} (group {}) with retry topics {}", mainTopic, group, retryTopics);
        return this;
    }

    /** Graceful: stop polling, let in-flight attempts finish (bounded), commit what is done, close. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            pollThread.join(properties.shutdownTimeout().toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        deliveredLog.close();
        deserializer.close();
    }

    // ---------------------------------------------------------------- poll thread

    private void pollLoop() {
        consumer.subscribe(allTopics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                commitSync(partitions);
                partitions.forEach(p -> {
                    tracker.forget(p);
                    pausedUntil.remove(p);
                });
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
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
                    retryBacklog.set(retryLag());
                    lastBacklog = nowMs;
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("delivery of {} stopped: {}", mainTopic, e.toString(), e);
        } finally {
            shutDown();
        }
    }

    private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
        // records of a partition after one that is not due are dropped from this batch and re-read after the seek
        Set<TopicPartition> deferred = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (deferred.contains(partition)) {
                continue;
            }
            if (!record.topic().equals(mainTopic)) {
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

    private void deferUntil(TopicPartition partition, long offset, Instant until) {
        consumer.seek(partition, offset);
        pausedUntil.put(partition, until);
    }

    private static Instant notBefore(ConsumerRecord<byte[], byte[]> record) {
        String text = RetryState.text(record.headers(), RetryState.NOT_BEFORE);
        return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
    }

    /** Pauses partitions whose head is not due and, under backpressure, everything; resumes the rest. */
    private void applyPauses() {
        Instant now = clock.instant();
        pausedUntil.entrySet().removeIf(e -> !e.getValue().isAfter(now));
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> pause = new HashSet<>();
        boolean backpressure = tracker.pendingCount() >= properties.maxBuffered();
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
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Notification notification;
        try {
            notification = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            if (registryOutage(e)) {
                // not poison: the registry is down; read it again shortly
                log.warn("schema registry unavailable while decoding {}-{}@{}; retrying: {}", record.topic(),
                        record.partition(), record.offset(), e.getMessage());
                deferUntil(partition, record.offset(), clock.instant().plus(REGISTRY_OUTAGE_PAUSE));
                return;
            }
            tracker.taken(partition, record.offset());
            Work poison = new Work(record, null, RetryState.of(record, false, clock.instant()), partition,
                    tracker.generation(partition));
            deadLetter(poison, e, "poison", 0);
            return;
        }
        tracker.taken(partition, record.offset());
        Instant now = clock.instant();
        Work work = new Work(record, notification, RetryState.of(record, !record.topic().equals(mainTopic), now),
                partition, tracker.generation(partition));
        submit(work);
    }

    static boolean registryOutage(Throwable error) {
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
            if (!partition.topic().equals(mainTopic)) {
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

    private void commitSync(java.util.Collection<TopicPartition> partitions) {
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

    private void shutDown() {
        stopping = true;
        long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // shutdown only: waiting for in-flight attempts of other threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        producer.flush();
        try {
            commitSync(consumer.assignment());
        } catch (RuntimeException e) {
            log.warn("final commit failed: {}", e.toString());
        }
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        log.info("stopped delivering {}; {} attempts were still in flight (they will be redelivered)", mainTopic,
                inFlight.get());
    }

    // ---------------------------------------------------------------- lanes

    /** One record taken from Kafka. */
    private record Work(ConsumerRecord<byte[], byte[]> record, Notification notification, RetryState state,
                        TopicPartition partition, int generation) {
        String destinationId() {
            return notification.getDestination().getDestinationId();
        }
    }

    /** Per-destination state: queue, in-flight count, rate limit bucket and circuit. Guarded by {@code lanes}. */
    private static final class Lane {
        final ArrayDeque<Work> queue = new ArrayDeque<>();
        int inFlight;
        int consecutiveFailures;
        Instant openUntil;
        Instant lastSuccess;
        Instant failingSince;
        boolean disabledReported;
        double tokens = Double.NaN;
        long refilledAtNanos;

        boolean idle() {
            return inFlight == 0 && queue.isEmpty() && consecutiveFailures == 0 && failingSince == null;
        }
    }

    private void submit(Work work) {
        Instant now = clock.instant();
        Work start = null;
        Duration park = null;
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(work.destinationId(), id -> new Lane());
            if (lane.openUntil != null && lane.openUntil.isAfter(now)) {
                park = Duration.between(now, lane.openUntil);
            } else if (lane.inFlight < properties.laneConcurrency()) {
                lane.inFlight++;
                start = work;
            } else if (lane.queue.size() < properties.laneQueueCapacity()) {
                lane.queue.add(work);
            } else {
                park = schedule.delays().get(1);
            }
            if (lane.idle()) {
                lanes.remove(work.destinationId());
            }
        }
        if (start != null) {
            startAttempt(start);
        } else if (park != null) {
            park(work, park, "destination busy or circuit open");
        }
    }

    private void startAttempt(Work work) {
        inFlight.incrementAndGet();
        Thread.ofVirtual().name("deliver-" + work.destinationId()).start(() -> {
            try {
                attempt(work);
            } catch (RuntimeException e) {
                log.error("delivery attempt of notificationId={} failed unexpectedly; it stays uncommitted: {}",
                        work.notification().getNotificationId(), e.toString(), e);
            } finally {
                inFlight.decrementAndGet();
                finished(work);
            }
        });
    }

    /** Frees the lane's slot and starts its next record (or parks the queue when the circuit opened). */
    private void finished(Work work) {
        Instant now = clock.instant();
        List<Work> toPark = new ArrayList<>();
        Work next = null;
        Duration parkFor = null;
        synchronized (lanes) {
            Lane lane = lanes.get(work.destinationId());
            lane.inFlight--;
            if (lane.openUntil != null && lane.openUntil.isAfter(now)) {
                toPark.addAll(lane.queue);
                lane.queue.clear();
                parkFor = Duration.between(now, lane.openUntil);
            } else {
                while (!lane.queue.isEmpty() && next == null) {
                    Work candidate = lane.queue.poll();
                    if (stopping) {
                        continue; // not started: stays uncommitted and is redelivered after the restart
                    }
                    if (tracker.owns(candidate.partition(), candidate.generation())) {
                        next = candidate;
                    }
                }
                if (next != null) {
                    lane.inFlight++;
                }
            }
            if (lane.idle()) {
                lanes.remove(work.destinationId());
            }
        }
        for (Work parked : toPark) {
            park(parked, parkFor, "circuit open");
        }
        if (next != null) {
            startAttempt(next);
        }
    }

    private void awaitRateLimit(String destinationId) {
        RateLimit limit = channel.rateLimit();
        if (!limit.limited()) {
            return;
        }
        long waitNanos;
        synchronized (lanes) {
            Lane lane = lanes.get(destinationId);
            long now = System.nanoTime();
            if (Double.isNaN(lane.tokens)) {
                lane.tokens = limit.burst();
                lane.refilledAtNanos = now;
            }
            lane.tokens = Math.min(limit.burst(),
                    lane.tokens + (now - lane.refilledAtNanos) / 1e9 * limit.permitsPerSecond());
            lane.refilledAtNanos = now;
            lane.tokens -= 1;
            waitNanos = lane.tokens >= 0 ? 0 : (long) (-lane.tokens / limit.permitsPerSecond() * 1e9);
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos); // a virtual thread of this destination only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- one attempt

    private void attempt(Work work) {
        Notification notification = work.notification();
        String notificationId = notification.getNotificationId();
        if (deliveredLog.contains(notificationId)) {
            skipped.increment();
            log.info("skipped notificationId={} eventId={} destination={}: already delivered", notificationId,
                    notification.getEvent().getEventId(), work.destinationId());
            done(work);
            return;
        }
        String workspaceId = notification.getEvent().getWorkspaceId();
        String integrationId = notification.getDestination().getIntegrationId();
        String target = notification.getDestination().getTarget();
        Optional<IntegrationConfig> integration = config.integration(workspaceId, integrationId);
        Optional<ChannelConfig> destination = integration.flatMap(i -> i.channel(target));
        if (destination.isEmpty()) {
            Instant now = clock.instant();
            countAttempt("permanent", FailureReason.destination_missing.name(), 0);
            deadLetter(work, new DeliveryException.Permanent("destination " + work.destinationId()
                    + " is not configured (integration or channel deleted)", null),
                    FailureReason.destination_missing.name(), 0, now);
            return;
        }
        if (!integration.get().enabled() || !destination.get().enabled()) {
            String reason = !integration.get().enabled() ? "integration_disabled" : "channel_disabled";
            deadLetter(work, new DeliveryException.Permanent("destination " + work.destinationId() + ": "
                    + reason.replace('_', ' '), null), reason, 0, clock.instant());
            return;
        }
        awaitRateLimit(work.destinationId());
        boolean manual = work.record().headers().lastHeader(REPLAY_HEADER) != null;
        DeliveryRequest request = new DeliveryRequest(notification, integration.get(), destination.get(),
                work.state().attempt(), manual);
        DeliveryOutcome outcome;
        try {
            outcome = channel.deliver(request);
        } catch (RuntimeException e) {
            outcome = new DeliveryOutcome.Retryable(FailureReason.connection, "channel failed: " + e, null, 0);
        }
        act(work, outcome, workspaceId, integrationId, target);
    }

    private void act(Work work, DeliveryOutcome outcome, String workspaceId, String integrationId, String target) {
        Instant now = clock.instant();
        Notification notification = work.notification();
        RetryState state = work.state();
        switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> {
                deliveredLog.delivered(notification.getNotificationId());
                synchronized (lanes) {
                    Lane lane = lanes.get(work.destinationId());
                    lane.consecutiveFailures = 0;
                    lane.openUntil = null;
                    lane.failingSince = null;
                    lane.disabledReported = false;
                    lane.lastSuccess = now;
                }
                countAttempt("delivered", "none", 0);
                latency.record(Duration.between(notification.getEvent().getOccurredAt(), now));
                status.delivered(workspaceId, integrationId, target);
                logAttempt(work, "delivered", "none", 0, null);
                done(work);
            }
            case DeliveryOutcome.Retryable retry -> {
                countAttempt("retryable", retry.reason().name(), retry.httpStatus());
                failed(work, now, workspaceId, integrationId, target);
                String error = retry.reason() + ": " + retry.detail();
                if (state.attempt() >= schedule.maxAttempts()) {
                    logAttempt(work, "dead-lettered", retry.reason().name(), retry.httpStatus(), "retries exhausted");
                    deadLetter(work, new DeliveryException.Retryable("gave up after " + state.attempt()
                            + " attempts: " + error, retry.httpStatus() == 0 ? null : retry.httpStatus(), null),
                            retry.reason().name(), retry.httpStatus(), now);
                    return;
                }
                boolean floor = retry.reason() == FailureReason.rate_limited || retry.reason() == FailureReason.timeout;
                Duration delay = schedule.delayBefore(state.attempt() + 1, retry.retryAfter(), floor);
                logAttempt(work, "retry", retry.reason().name(), retry.httpStatus(), "next in " + delay);
                RetryState next = new RetryState(state.attempt() + 1, now.plus(delay), firstAttempt(state, now),
                        state.originalTopic(), state.originalPartition(), state.originalOffset(), error);
                send(work, RetrySchedule.retryTopic(mainTopic, state.attempt()), next, null);
            }
            case DeliveryOutcome.Permanent permanent -> {
                countAttempt("permanent", permanent.reason().name(), permanent.httpStatus());
                logAttempt(work, "dead-lettered", permanent.reason().name(), permanent.httpStatus(),
                        permanent.detail());
                status.effect(workspaceId, integrationId, target, permanent.status(), permanent.reason().name(),
                        permanent.detail());
                deadLetter(work, new DeliveryException.Permanent(permanent.reason() + ": " + permanent.detail(),
                        permanent.httpStatus() == 0 ? null : permanent.httpStatus()), permanent.reason().name(),
                        permanent.httpStatus(), now);
            }
        }
    }

    /** Counts a failed attempt against the destination: opens its circuit, reports a long-failing endpoint. */
    private void failed(Work work, Instant now, String workspaceId, String integrationId, String target) {
        boolean opened = false;
        boolean disable = false;
        synchronized (lanes) {
            Lane lane = lanes.get(work.destinationId());
            lane.consecutiveFailures++;
            if (lane.consecutiveFailures >= properties.circuitFailureThreshold()
                    && (lane.openUntil == null || !lane.openUntil.isAfter(now))) {
                lane.openUntil = now.plus(properties.circuitOpenFor());
                opened = true;
            }
            Instant since = firstAttempt(work.state(), now);
            if (lane.lastSuccess != null && lane.lastSuccess.isAfter(since)) {
                since = lane.lastSuccess;
            }
            lane.failingSince = lane.failingSince == null || since.isBefore(lane.failingSince) ? since
                    : lane.failingSince;
            if (!lane.disabledReported
                    && !lane.failingSince.plus(properties.disableEndpointAfter()).isAfter(now)) {
                lane.disabledReported = true;
                disable = true;
            }
            circuitsOpen.set((int) lanes.values().stream()
                    .filter(l -> l.openUntil != null && l.openUntil.isAfter(now)).count());
        }
        if (opened) {
            log.warn("circuit open destination={} for {} after {} consecutive failures", work.destinationId(),
                    properties.circuitOpenFor(), properties.circuitFailureThreshold());
            status.effect(workspaceId, integrationId, target, IntegrationEffect.UNHEALTHY,
                    StatusReporter.REASON_REPEATED_FAILURES, "deliveries to " + work.destinationId()
                            + " keep failing; paused for " + properties.circuitOpenFor());
        }
        if (disable) {
            status.effect(workspaceId, integrationId, target, IntegrationEffect.ENDPOINT_DISABLED,
                    StatusReporter.REASON_ENDPOINT_DISABLED, "every attempt failed for "
                            + properties.disableEndpointAfter());
        }
    }

    private static Instant firstAttempt(RetryState state, Instant now) {
        return state.firstAttempt() == null ? now : state.firstAttempt();
    }

    /** Parks a record without counting an attempt (busy lane, open circuit): it comes back after {@code delay}. */
    private void park(Work work, Duration delay, String why) {
        RetryState state = work.state();
        Instant now = clock.instant();
        RetryState parked = new RetryState(state.attempt(), now.plus(delay), state.firstAttempt() == null
                ? now : state.firstAttempt(), state.originalTopic(), state.originalPartition(), state.originalOffset(),
                state.lastError());
        log.info("parked notificationId={} destination={} for {}: {}", work.notification().getNotificationId(),
                work.destinationId(), delay, why);
        send(work, RetrySchedule.retryTopic(mainTopic, schedule.stepFor(delay)), parked, null);
    }

    private void deadLetter(Work work, Throwable reason, String reasonTag, int httpStatus) {
        deadLetter(work, reason, reasonTag, httpStatus, clock.instant());
    }

    private void deadLetter(Work work, Throwable reason, String reasonTag, int httpStatus, Instant lastAttempt) {
        ConsumerRecord<byte[], byte[]> record = work.record();
        RetryState state = work.state();
        Headers headers = new RecordHeaders(record.headers().toArray());
        RetryState.removeFrom(headers);
        DeadLetterHeaders.addReason(headers, record, reason, group);
        if (!record.topic().equals(state.originalTopic())) {
            RetryState.put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, state.originalTopic());
            headers.remove(DeadLetterHeaders.ORIGINAL_PARTITION);
            headers.add(DeadLetterHeaders.ORIGINAL_PARTITION,
                    java.nio.ByteBuffer.allocate(4).putInt(state.originalPartition()).array());
            headers.remove(DeadLetterHeaders.ORIGINAL_OFFSET);
            headers.add(DeadLetterHeaders.ORIGINAL_OFFSET,
                    java.nio.ByteBuffer.allocate(8).putLong(state.originalOffset()).array());
        }
        if (httpStatus > 0) {
            RetryState.put(headers, DeadLetterHeaders.HTTP_STATUS, Integer.toString(httpStatus));
        }
        RetryState.put(headers, REASON_HEADER, reasonTag);
        RetryState.put(headers, ATTEMPTS_HEADER, Integer.toString(work.notification() == null ? 0 : state.attempt()));
        RetryState.put(headers, FIRST_ATTEMPT_HEADER, firstAttempt(state, lastAttempt).toString());
        RetryState.put(headers, LAST_ATTEMPT_HEADER, lastAttempt.toString());
        Counter.builder("connectors.delivery.dead_lettered").tag("channel", channel.name()).tag("reason", reasonTag)
                .register(meters).increment();
        String ids = work.notification() == null ? "" : " notificationId=" + work.notification().getNotificationId()
                + " eventId=" + work.notification().getEvent().getEventId() + " destination=" + work.destinationId();
        log.warn("dead-lettered {}-{}@{}{} to {} reason={}: {}", record.topic(), record.partition(), record.offset(),
                ids, deadLetterTopic, reasonTag, reason.getMessage());
        sendRaw(work, new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers));
    }

    private void send(Work work, String topic, RetryState state, Integer partition) {
        Headers headers = new RecordHeaders(work.record().headers().toArray());
        state.writeTo(headers);
        sendRaw(work, new ProducerRecord<>(topic, partition, work.record().key(), work.record().value(), headers));
    }

    /** The record is done once the broker has it; if the send fails it stays uncommitted and is redelivered. */
    private void sendRaw(Work work, ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                done(work);
            } else {
                log.error("could not write {} for {}-{}@{}; it stays uncommitted: {}", record.topic(),
                        work.record().topic(), work.record().partition(), work.record().offset(), error.toString());
            }
        });
    }

    private void done(Work work) {
        tracker.done(work.partition(), work.generation(), work.record().offset());
    }

    /** {@code status}: the HTTP status of a failure, "2xx" for a delivery, "none" when there was no answer. */
    private void countAttempt(String outcome, String reason, int httpStatus) {
        String status = outcome.equals("delivered") ? "2xx" : httpStatus > 0 ? Integer.toString(httpStatus) : "none";
        Counter.builder("connectors.delivery.attempts").tag("channel", channel.name()).tag("outcome", outcome)
                .tag("reason", reason).tag("status", status)
                .register(meters).increment();
    }

    private void logAttempt(Work work, String outcome, String reason, int httpStatus, String detail) {
        Notification n = work.notification();
        log.info("attempt notificationId={} eventId={} destination={} attempt={} outcome={} reason={} status={}{}",
                n.getNotificationId(), n.getEvent().getEventId(), work.destinationId(), work.state().attempt(),
                outcome, reason, httpStatus > 0 ? httpStatus : "none", detail == null ? "" : " detail=" + detail);
    }

    // ---------------------------------------------------------------- setup

    private List<String> allTopics() {
        List<String> topics = new ArrayList<>();
        topics.add(mainTopic);
        topics.addAll(retryTopics);
        return topics;
    }

    /** Missing topics are created (idempotent): retry and dead-letter topics, and the compacted delivered log. */
    private void createTopics() {
        Properties adminProperties = KafkaClients.properties(bootstrapServers);
        try (Admin admin = Admin.create(adminProperties)) {
            int partitions = properties.topicPartitions();
            short replication = properties.replicationFactor();
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : allTopics()) {
                topics.add(new NewTopic(topic, partitions, replication));
            }
            topics.add(new NewTopic(deadLetterTopic, partitions, replication));
            topics.add(new NewTopic(mainTopic + ".delivered", partitions, replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            topics.add(new NewTopic(Topics.CONNECTORS_STATUS, partitions, replication));
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, future) -> {
                    try {
                        future.get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + name, e.getCause());
                        }
                    } catch (InterruptedException | TimeoutException e) {
                        throw new IllegalStateException("cannot create topic " + name, e);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers, e);
        }
    }

    private Properties consumerProperties() {
        Properties p = KafkaClients.properties(bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private Properties producerProperties() {
        Properties p = KafkaClients.properties(bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-parking");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
