package com.messagingconnectors.ingest;

import com.messagingconnectors.config.observe.Traces;
import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Produces events to the events topic (key = workspace id) and returns only once the broker acknowledged every one
 * (acks=all, idempotent producer). Waits are bounded so an unreachable broker or registry fails fast with
 * {@link PublishFailedException} instead of hanging the request.
 */
@Component
public class EventPublisher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<String, PlatformEvent> producer;
    private final AvroSerializer<PlatformEvent> serializer;
    private final String topic;
    /** Upper bound for one wait on an acknowledgement; the producer itself gives up at the delivery timeout. */
    private final Duration ackWait;

    public EventPublisher(IngestProperties properties) {
        this.topic = properties.topic();
        this.ackWait = properties.sendTimeout().plus(properties.maxBlock()).plusSeconds(1);
        this.serializer = avroSerializer(properties);
        this.producer = KafkaClientMeters.bound(
                new KafkaProducer<>(producerConfig(properties), new StringSerializer(), serializer));
    }

    /**
     * Fetches what the first send would otherwise wait for: the topic's partitions (broker metadata, up to
     * ingest.max-block) and the event schema's registry id. Until this has succeeded once the service is not ready:
     * a burst arriving right after "ready" would otherwise queue behind those round trips and get 503s.
     *
     * @throws KafkaException when the broker or the registry does not answer in time
     */
    public void prepare() {
        producer.partitionsFor(topic);
        serializer.schemaId(topic, PlatformEvent.getClassSchema());
    }

    static Map<String, Object> producerConfig(IngestProperties properties) {
        int sendTimeoutMs = (int) properties.sendTimeout().toMillis();
        // Every request waits for its acknowledgement, so a linger is paid in full by each POST when traffic is
        // light (2 ms doubled an idle POST's time). Under load batches form anyway: while five requests are in
        // flight to the broker, the records that arrive meanwhile go out together in the next one.
        Map<String, Object> config = KafkaClients.config(properties.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-service");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.maxBlock().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeoutMs);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, properties.schemaRegistryUrl());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_TIMEOUT_MS, String.valueOf(properties.maxBlock().toMillis()));
        config.putAll(properties.producer());
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms, whatever linger ingest.producer sets
        int lingerMs = Integer.parseInt(String.valueOf(config.get(ProducerConfig.LINGER_MS_CONFIG)));
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, sendTimeoutMs - lingerMs));
        return config;
    }

    private static AvroSerializer<PlatformEvent> avroSerializer(IngestProperties properties) {
        AvroSerializer<PlatformEvent> serializer = new AvroSerializer<>();
        serializer.configure(producerConfig(properties), false);
        return serializer;
    }

    /** Sends every event and waits until the broker acknowledged all of them. */
    public void publish(List<PlatformEvent> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (PlatformEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic, null, event.getWorkspaceId(), event,
                        Traces.currentHeaders(null))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(ackWait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (KafkaException | TimeoutException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(PublishFailedException.Cause.BROKER_UNAVAILABLE, "interrupted", e);
        }
    }

    private PublishFailedException failure(Throwable e) {
        // The serializer fails when the schema registry cannot be reached or refuses the schema.
        PublishFailedException.Cause cause = e instanceof SerializationException
                ? PublishFailedException.Cause.REGISTRY_UNAVAILABLE
                : PublishFailedException.Cause.BROKER_UNAVAILABLE;
        log.warn("could not publish to {}: {}", topic, e.toString());
        return new PublishFailedException(cause, e.getMessage(), e);
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
