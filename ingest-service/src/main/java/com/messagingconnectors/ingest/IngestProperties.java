package com.messagingconnectors.ingest;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code ingest.*}; application.yml documents each one and its default.
 *
 * @param topic            where accepted events go
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl base URL of the schema registry the Avro serializer registers with
 * @param maxEventBytes    largest body of POST /v1/events
 * @param maxBatchBytes    largest body of POST /v1/events:batch
 * @param maxBatchEvents   most events in one batch
 * @param sendTimeout      longest wait for the broker's acknowledgement before answering 503
 * @param maxBlock         longest wait for broker metadata (e.g. broker unreachable) before answering 503
 * @param retryAfter       Retry-After given with a 503
 * @param maxInFlight      memory requests in flight may hold (bodies + an estimated 16 KiB each); beyond it 503
 * @param maxInFlightPerKey the part of {@code maxInFlight} the requests of one API key may hold together
 * @param rateLimit        events per second one API key may send
 * @param producer         extra Kafka producer properties, passed through as they are
 */
@ConfigurationProperties("ingest")
public record IngestProperties(
        @DefaultValue("platform.events") String topic,
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        @DefaultValue("http://127.0.0.1:8081") String schemaRegistryUrl,
        @DefaultValue("64KB") DataSize maxEventBytes,
        @DefaultValue("1MB") DataSize maxBatchBytes,
        @DefaultValue("500") int maxBatchEvents,
        @DefaultValue("5s") Duration sendTimeout,
        @DefaultValue("3s") Duration maxBlock,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("64MB") DataSize maxInFlight,
        @DefaultValue("16MB") DataSize maxInFlightPerKey,
        @DefaultValue RateLimit rateLimit,
        Map<String, String> producer) {

    public IngestProperties {
        producer = producer == null ? Map.of() : Map.copyOf(producer);
    }

    /**
     * A token bucket per API key: {@code eventsPerSecond} refill, {@code burst} capacity (at least a full batch).
     *
     * @param enabled          false turns the limit off
     * @param eventsPerSecond  sustained events per second of one key
     * @param burst            events one key may send at once after a quiet spell
     * @param limitOperatorKey whether the operator key (platform services, every workspace) is limited too
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("100") int eventsPerSecond,
            @DefaultValue("1000") int burst,
            @DefaultValue("false") boolean limitOperatorKey) {
    }
}
