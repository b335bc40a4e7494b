package com.messagingconnectors.webhook;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Writes endpoints to connectors.config and notifications to notifications.webhook; reads DLQ and status. */
final class DeliveryFixture implements AutoCloseable {
    static final String KEYS = "t1:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final SecretBox SECRETS = SecretBox.fromConfig(KEYS, null);

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestInfrastructure.producerProperties());
    private final AvroSerializer<Notification> serializer = new AvroSerializer<>();
    final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    final List<StatusReport> statuses = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    DeliveryFixture() {
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()),
                false);
        reader = Thread.ofPlatform().daemon().start(this::read);
    }

    /** A webhook integration with one endpoint per URL (endpoint ids e0, e1, ...), each with the given secrets. */
    IntegrationConfig integration(String workspace, List<String> urls, List<String> secrets,
            Map<String, String> headers) {
        return integration(workspace, urls, secrets, null, headers, Map.of());
    }

    /**
     * As above, with the previous secrets' expiry of a rotation and custom headers stored sealed
     * ({@code sealedHeaders}, given in plain text) beside plain ones (as records written before headers were sealed).
     */
    IntegrationConfig integration(String workspace, List<String> urls, List<String> secrets,
            Instant previousSecretsExpireAt, Map<String, String> plainHeaders, Map<String, String> sealedHeaders) {
        String id = "int-" + UUID.randomUUID();
        List<ChannelConfig> endpoints = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String endpointId = "e" + i;
            List<EncryptedSecret> sealed = secrets.stream()
                    .map(s -> SECRETS.seal(s, SecretPurposes.signing(workspace, id, endpointId))).toList();
            Map<String, EncryptedSecret> sealedValues = new java.util.LinkedHashMap<>();
            sealedHeaders.forEach((name, value) -> sealedValues.put(name,
                    SECRETS.seal(value, SecretPurposes.header(workspace, id, endpointId, name))));
            endpoints.add(new WebhookEndpointConfig(endpointId, "endpoint " + i, urls.get(i), null, null, plainHeaders,
                    sealed, true, sealedValues, previousSecretsExpireAt));
        }
        IntegrationConfig config = new IntegrationConfig(id, workspace, IntegrationKind.webhook, "hooks", true,
                Map.of(), "e0", endpoints, List.of(), Map.of(), Map.of(), 1, Instant.now(), Instant.now());
        save(config);
        return config;
    }

    void save(IntegrationConfig config) {
        send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                new ConfigKey(ConfigKey.INTEGRATION, config.workspaceId(), config.id()).toString(),
                ConfigCodec.encode(config)));
    }

    static Notification notification(IntegrationConfig integration, String endpointId) {
        String eventId = UUID.randomUUID().toString();
        String destinationId = integration.destinationId(endpointId);
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType("report.completed")
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(Instant.now())
                .setSummary("Weekly report is ready").setPayload(new GenericPayload("{\"reportId\":\"r-1\"}"))
                .build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of(eventId, destinationId))
                .setChannel("webhook").setDestination(new Destination(destinationId, integration.id(), endpointId))
                .setRoutedAt(Instant.now()).setEvent(event).build();
    }

    /**
     * A digest as the digest stage writes it: the latest of {@code count} sync.failed events for one source, with the
     * {@link Digest} record naming every covered event id.
     */
    static Notification digestNotification(IntegrationConfig integration, String endpointId, int count) {
        String destinationId = integration.destinationId(endpointId);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        Instant first = Instant.now().minusSeconds(300);
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(ids.getLast()).setType("sync.failed")
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(Instant.now())
                .setLevel(com.messagingconnectors.schemas.avro.Level.warning)
                .setLink("https://app.example.com/sources/pg-prod")
                .setSummary("sync.failed × " + count + " for sync.failed, pg-prod in the last 5 min")
                .setPayload(com.messagingconnectors.schemas.avro.SyncFailed.newBuilder().setSourceId("src_pg")
                        .setSourceName("pg-prod").setErrorMessage("connection refused").build())
                .build();
        Digest digest = Digest.newBuilder().setGroupKey("rule-1|sync.failed|pg-prod")
                .setGroupLabel("sync.failed, pg-prod").setReason("grouped").setCount(count).setEventIds(ids)
                .setFirstOccurredAt(first).setLastOccurredAt(event.getOccurredAt())
                .setSamples(List.of("pg-prod: connection refused", "pg-prod: <b>timeout</b> & retry")).build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of("digest:" + ids.getFirst(), destinationId))
                .setChannel("webhook").setDestination(new Destination(destinationId, integration.id(), endpointId))
                .setRoutedAt(Instant.now()).setEvent(event).setDigest(digest).build();
    }

    /** Sends to partition 0 when {@code samePartition}, so isolation inside one partition is what is tested. */
    void send(Notification notification, boolean samePartition) {
        send(new ProducerRecord<>(Topics.notifications("webhook"), samePartition ? 0 : null,
                notification.getDestination().getDestinationId(),
                serializer.serialize(Topics.notifications("webhook"), notification)));
    }

    /** As the digest stage sends: to the channel's {@code .digested} topic. */
    void sendFromDigestStage(Notification notification) {
        send(new ProducerRecord<>(Topics.digested("webhook"), notification.getDestination().getDestinationId(),
                serializer.serialize(Topics.digested("webhook"), notification)));
    }

    void sendRaw(String key, byte[] value) {
        send(new ProducerRecord<>(Topics.notifications("webhook"), key, value));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<ConsumerRecord<String, byte[]>> deadLettersWithKey(String key) {
        return deadLetters.stream().filter(r -> key.equals(r.key())).toList();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void read() {
        Properties properties = TestInfrastructure.consumerProperties();
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(Topics.deadLetter("webhook"), Topics.CONNECTORS_STATUS));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(Topics.CONNECTORS_STATUS)) {
                        try {
                            statuses.add(ConfigCodec.decode(record.value(), StatusReport.class));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    } else {
                        deadLetters.add(record);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        producer.close();
    }
}
