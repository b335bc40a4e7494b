package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.alerts.AlertMessages;
import com.messagingconnectors.delivery.intake.PollLoop;
import com.messagingconnectors.delivery.kafka.DeliveryKafka;
import com.messagingconnectors.delivery.lanes.Attempt;
import com.messagingconnectors.delivery.lanes.Lanes;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import com.messagingconnectors.delivery.outcome.DeliveredLog;
import com.messagingconnectors.delivery.outcome.OutcomeWriter;
import com.messagingconnectors.delivery.outcome.RetrySchedule;
import com.messagingconnectors.delivery.outcome.StatusReporter;
import com.messagingconnectors.schemas.TopicCreation;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one channel's notifications. The story of a delivery, one package each:
 * <ol>
 * <li>{@code intake}: the {@link PollLoop} takes records off {@code notifications.<channel>}, the digest stage's
 * {@code notifications.<channel>.digested} and the retry topics;</li>
 * <li>{@code lanes}: the record's destination lane runs an {@link Attempt} (concurrency, rate limit, circuit);</li>
 * <li>{@code outcome}: the {@link OutcomeWriter} records it delivered, parks it for a retry, or dead-letters it.</li>
 * </ol>
 * This class builds and wires them (Kafka clients: {@code kafka.DeliveryKafka}; metrics: {@code metrics}), creates
 * missing topics, loads the delivered log and the configuration before consuming, warms the channel's code up
 * ({@link WarmUp}) while the consumer joins its group ({@link DeliveryReadiness} says when it is ready), and stops
 * them in order. See docs/decisions/0007, 0018 and 0021.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    /** The longest a warm-up may hold readiness back. */
    private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(20);

    private final NotificationChannel channel;
    private final DeliveryProperties properties;
    private final DeliveryKafka kafka;
    private final ConfigView config;
    private final RetrySchedule schedule;
    private final Producer<byte[], byte[]> producer;
    private final AvroDeserializer<Notification> deserializer = new AvroDeserializer<>();
    private final DeliveredLog deliveredLog;
    /** Only for channels that update an alert's message when it resolves; else null. */
    private final AlertMessages alertMessages;
    private final PollLoop pollLoop;
    private final DeliveryReadiness readiness;
    private final List<String> firstAttemptTopics;
    private final List<String> retryTopics = new ArrayList<>();
    private volatile Consumer<Throwable> onDeath = cause -> { };
    private volatile boolean started;

    public DeliveryEngine(NotificationChannel channel, DeliveryProperties properties, String bootstrapServers,
            String schemaRegistryUrl, ConfigView config, MeterRegistry meters, Clock clock) {
        if (properties.schedule().size() < 2) {
            throw new IllegalArgumentException("connectors.delivery.schedule needs at least two entries");
        }
        String name = channel.name();
        this.channel = channel;
        this.properties = properties;
        this.config = config;
        this.kafka = new DeliveryKafka(bootstrapServers, name + "-sender");
        this.schedule = new RetrySchedule(properties.schedule(), properties.jitter(), properties.retryFloor());
        this.firstAttemptTopics = List.of(Topics.notifications(name), Topics.digested(name));
        for (int step = 1; step <= schedule.retrySteps(); step++) {
            retryTopics.add(Topics.retry(name, step));
        }
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false);
        DeliveryMetrics metrics = new DeliveryMetrics(meters, name);
        this.producer = kafka.producer();
        this.deliveredLog = new DeliveredLog(kafka.deliveredLogReader(Topics.delivered(name)), Topics.delivered(name),
                producer, properties.deliveredRetention(), properties.deliveredMaxIds(), clock);
        this.alertMessages = channel.remembersAlertMessages()
                ? new AlertMessages(kafka.alertMessagesReader(Topics.ALERT_MESSAGES), Topics.ALERT_MESSAGES, producer,
                        TopicCreation.ALERT_MESSAGES_RETENTION, clock)
                : null;
        if (alertMessages != null) {
            channel.useAlertMessages(alertMessages);
        }
        StatusReporter status = new StatusReporter(producer, Topics.CONNECTORS_STATUS,
                properties.deliveredStatusInterval(), clock);
        OutcomeWriter outcomes = new OutcomeWriter(name, kafka.group(), schedule, producer, deliveredLog, status,
                metrics, clock);
        Lanes lanes = new Lanes(new Lanes.Settings(properties.laneConcurrency(), properties.laneQueueCapacity(),
                properties.circuitFailureThreshold(), properties.circuitOpenFor(), properties.disableEndpointAfter(),
                schedule.delays().get(1)), channel.rateLimit(), clock, metrics, outcomes::park);
        this.pollLoop = new PollLoop(name, firstAttemptTopics, retryTopics, kafka, producer, deserializer, lanes,
                outcomes, metrics, clock, properties.maxBuffered(), properties.shutdownTimeout(), this::died);
        lanes.runAttemptsWith(new Attempt(channel, config, lanes, deliveredLog, outcomes, status, metrics, clock,
                properties.circuitOpenFor(), properties.disableEndpointAfter()), pollLoop::kill);
        this.readiness = new DeliveryReadiness(config, kafka.assignment(), pollLoop::hasStopped,
                () -> alertMessages == null || alertMessages.isLoaded());
    }

    public String channelName() {
        return channel.name();
    }

    /** True while the poll loop runs. */
    public boolean isRunning() {
        return pollLoop.isRunning();
    }

    /**
     * Why this engine cannot deliver any more although nobody stopped it, or null: its poll loop died, or following
     * the delivered log or the alert messages stopped (dedupe and resolving alerts would go wrong from then on).
     */
    public Throwable failure() {
        if (pollLoop.failure() != null) {
            return pollLoop.failure();
        }
        if (deliveredLog.failure() != null) {
            return deliveredLog.failure();
        }
        return alertMessages == null ? null : alertMessages.failure();
    }

    public DeliveredLog deliveredLog() {
        return deliveredLog;
    }

    /** Whether this engine is ready (state loaded, partitions held): the senders' readiness probe reads it. */
    public DeliveryReadiness readiness() {
        return readiness;
    }

    /** Called once (on the dying thread) when the poll loop dies. */
    public DeliveryEngine onDeath(Consumer<Throwable> onDeath) {
        this.onDeath = onDeath;
        return this;
    }

    /** Creates missing topics, loads the delivered log and the config, then starts consuming. */
    public DeliveryEngine start() {
        List<NewTopic> needed = new ArrayList<>(TopicCreation.channelTopics(channel.name(), schedule.retrySteps(),
                TopicCreation.ChannelPartitions.uniform(properties.topicPartitions(),
                        properties.replicationFactor())));
        needed.add(new NewTopic(Topics.CONNECTORS_STATUS, properties.topicPartitions(),
                properties.replicationFactor()));
        if (alertMessages != null) {
            needed.add(TopicCreation.alertMessages(properties.topicPartitions(), properties.replicationFactor()));
        }
        TopicCreation.createMissing(kafka.bootstrapServers(), needed);
        try {
            deliveredLog.start(Duration.ofSeconds(30));
            if (alertMessages != null) {
                alertMessages.start(Duration.ofSeconds(30));
            }
            if (!config.awaitCaughtUp(Duration.ofSeconds(30))) {
                log.warn("configuration not caught up after 30 s; starting anyway");
            }
            readiness.stateLoaded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        started = true;
        pollLoop.start();
        log.info("delivering {} (group {}) with retry topics {}", firstAttemptTopics, kafka.group(), retryTopics);
        // beside the group join, which takes seconds after a restart anyway
        Thread.ofPlatform().daemon().name("warm-up-" + channel.name()).start(() -> {
            WarmUp.run(channel, properties.warmUpRounds(), WARM_UP_BUDGET);
            readiness.warmedUp();
        });
        return this;
    }

    /** Graceful: stop polling, let in-flight attempts finish (bounded), commit what is done, close. */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        pollLoop.stop(properties.shutdownTimeout().plusSeconds(15));
        producer.close(Duration.ofSeconds(10));
        deliveredLog.close();
        if (alertMessages != null) {
            alertMessages.close();
        }
        deserializer.close();
    }

    private void died(Throwable cause) {
        log.error("delivery engine of {} is dead ({}); liveness now fails so the process is restarted",
                channel.name(), cause.toString());
        onDeath.accept(cause);
    }
}
