package com.messagingconnectors.delivery.engine;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a sender delivers ({@code connectors.delivery.*}); every default is the production value, tests compress them.
 *
 * @param schedule               delay before each attempt; the first entry is the first attempt (immediately), so
 *                               its size is the number of attempts. Default after Svix.
 * @param jitter                 ± fraction applied to each scheduled delay (0.2 = ±20 %)
 * @param retryFloor             minimum delay after 429 / timeouts, whatever the schedule says
 * @param laneConcurrency        attempts in flight per destination (1 keeps a destination's order)
 * @param laneQueueCapacity      records waiting per destination before further ones are parked in a retry topic
 * @param circuitFailureThreshold consecutive failures of a destination that open its circuit
 * @param circuitOpenFor         how long an open circuit parks the destination's notifications
 * @param disableEndpointAfter   an endpoint failing every attempt this long is reported ENDPOINT_DISABLED
 * @param deliveredStatusInterval at most one "delivered" status report per integration this often
 * @param deliveredRetention     how long delivered notification ids are remembered (dedupe of late retries/replays)
 * @param deliveredMaxIds        at most this many delivered ids are kept in memory (the oldest go first): 32 bytes
 *                               of heap each ({@code DeliveredIds}), so the default million needs 32 MB
 * @param maxBuffered            records taken from Kafka but not done yet before polling pauses
 * @param shutdownTimeout        how long shutdown waits for in-flight attempts
 * @param topicPartitions        partitions of the topics the engine creates when missing
 * @param replicationFactor      replication of the topics the engine creates when missing
 * @param configTopic            the live configuration topic
 * @param warmUpRounds           rehearsed deliveries to a loopback sink before the sender says it is ready
 *                               ({@code WarmUp}); 0 turns the warm-up off
 */
@ConfigurationProperties("connectors.delivery")
public record DeliveryProperties(List<Duration> schedule, Double jitter, Duration retryFloor, Integer laneConcurrency,
                                 Integer laneQueueCapacity, Integer circuitFailureThreshold, Duration circuitOpenFor,
                                 Duration disableEndpointAfter, Duration deliveredStatusInterval,
                                 Duration deliveredRetention, Integer deliveredMaxIds, Integer maxBuffered, Duration shutdownTimeout,
                                 Integer topicPartitions, Short replicationFactor, String configTopic,
                                 Integer warmUpRounds) {

    public static final List<Duration> SVIX_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10));

    public DeliveryProperties {
        schedule = schedule == null || schedule.isEmpty() ? SVIX_SCHEDULE : List.copyOf(schedule);
        jitter = jitter == null ? 0.2 : jitter;
        retryFloor = retryFloor == null ? Duration.ofSeconds(1) : retryFloor;
        laneConcurrency = laneConcurrency == null ? 1 : laneConcurrency;
        laneQueueCapacity = laneQueueCapacity == null ? 5000 : laneQueueCapacity;
        circuitFailureThreshold = circuitFailureThreshold == null ? 5 : circuitFailureThreshold;
        circuitOpenFor = circuitOpenFor == null ? Duration.ofSeconds(30) : circuitOpenFor;
        disableEndpointAfter = disableEndpointAfter == null ? Duration.ofDays(5) : disableEndpointAfter;
        deliveredStatusInterval = deliveredStatusInterval == null ? Duration.ofSeconds(10) : deliveredStatusInterval;
        deliveredRetention = deliveredRetention == null ? Duration.ofDays(7) : deliveredRetention;
        deliveredMaxIds = deliveredMaxIds == null ? 1_000_000 : deliveredMaxIds;
        maxBuffered = maxBuffered == null ? 20_000 : maxBuffered;
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(10) : shutdownTimeout;
        topicPartitions = topicPartitions == null ? 6 : topicPartitions;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        configTopic = configTopic == null ? "connectors.config" : configTopic;
        warmUpRounds = warmUpRounds == null ? 500 : warmUpRounds;
    }

    /** All defaults. */
    public static DeliveryProperties defaults() {
        return new DeliveryProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
