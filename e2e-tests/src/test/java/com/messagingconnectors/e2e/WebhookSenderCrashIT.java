package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost when a sender crashes: webhook-sender runs as its own process, is killed with SIGKILL in the middle
 * of a burst of 5,000 notifications to 20 endpoints, and is restarted; the receiver then has every notification id
 * (webhook-id) at least once. Duplicates are allowed (at-least-once) and counted.
 */
class WebhookSenderCrashIT {
    private static final int NOTIFICATIONS = 5_000;
    private static final int ENDPOINTS = 20;
    private static final String KEYS = "crash:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final Duration STARTUP = Duration.ofMinutes(3);

    @Test
    void everyNotificationArrivesAtLeastOnceAcrossASigkill() throws Exception {
        String kafka = TestInfrastructure.bootstrapServers();
        String registry = TestInfrastructure.schemaRegistryUrl();
        TestInfrastructure.createTopics(6, Topics.notifications("webhook"));
        TestInfrastructure.createTopics(1, Topics.CONNECTORS_CONFIG);

        Set<String> distinct = ConcurrentHashMap.newKeySet();
        AtomicLong received = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 500);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            distinct.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        String workspace = "ws_crash_" + UUID.randomUUID().toString().substring(0, 8);
        IntegrationConfig integration = integration(workspace,
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        List<String> args = List.of("--spring.kafka.bootstrap-servers=" + kafka, "--schema.registry.url=" + registry,
                "--connectors.secrets.keys=" + KEYS, "--connectors.security.local-mode=true",
                "--connectors.delivery.schedule=0s,500ms,1s,2s,5s,10s", "--connectors.delivery.topic-partitions=6");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(kafka))) {
            producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                    new ConfigKey(ConfigKey.INTEGRATION, workspace, integration.id()).toString(),
                    ConfigCodec.encode(integration))).get();
        }
        ServiceProcess sender = ServiceProcess.start("webhook-sender", "webhook-sender-crash-1", args)
                .awaitReady(STARTUP);
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, Notification> producer = avroProducer(kafka, registry)) {
            for (int i = 0; i < NOTIFICATIONS; i++) {
                Notification notification = notification(integration, "e" + (i % ENDPOINTS));
                ids.add(notification.getNotificationId());
                producer.send(new ProducerRecord<>(Topics.notifications("webhook"),
                        notification.getDestination().getDestinationId(), notification));
            }
            producer.flush();
        }

        // kill it mid-burst: some delivered, most not yet
        await().atMost(Duration.ofMinutes(2)).until(() -> distinct.size() >= 500);
        sender.kill();
        int atKill = distinct.size();
        assertThat(atKill).as("killed mid-burst").isLessThan(NOTIFICATIONS);

        ServiceProcess restarted = ServiceProcess.start("webhook-sender", "webhook-sender-crash-2", args)
                .awaitReady(STARTUP);
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> distinct.size() >= NOTIFICATIONS);
            Set<String> missing = new HashSet<>(ids);
            missing.removeAll(distinct);
            assertThat(missing).as("notification ids never received").isEmpty();
            System.out.printf("crash test: %d delivered before SIGKILL, %d requests for %d ids (%d duplicates)%n",
                    atKill, received.get(), distinct.size(), received.get() - distinct.size());
        } finally {
            restarted.close();
            receiver.stop(0);
        }
    }

    private static IntegrationConfig integration(String workspace, String url) {
        SecretBox secrets = SecretBox.fromConfig(KEYS, null);
        String id = "int-" + UUID.randomUUID();
        List<ChannelConfig> endpoints = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            String endpointId = "e" + i;
            endpoints.add(new WebhookEndpointConfig(endpointId, "endpoint " + i, url + "/" + i, null, null, Map.of(),
                    List.of(secrets.seal("whsec_" + Base64.getEncoder().encodeToString(("secret-" + i).getBytes()),
                            SecretPurposes.signing(workspace, id, endpointId))), true, null, null));
        }
        return new IntegrationConfig(id, workspace, IntegrationKind.webhook, "crash test", true, Map.of(), "e0",
                endpoints, List.of(), Map.of(), Map.of(), 1, Instant.now(), Instant.now());
    }

    private static Notification notification(IntegrationConfig integration, String endpointId) {
        String eventId = UUID.randomUUID().toString();
        String destinationId = integration.destinationId(endpointId);
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType("report.completed")
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(Instant.now())
                .setSummary("Weekly report is ready").setPayload(new GenericPayload("{}")).build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of(eventId, destinationId))
                .setChannel("webhook").setDestination(new Destination(destinationId, integration.id(), endpointId))
                .setRoutedAt(Instant.now()).setEvent(event).build();
    }

    private static Properties producerProperties(String kafka) {
        Properties properties = TestInfrastructure.producerProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return properties;
    }

    private static KafkaProducer<String, Notification> avroProducer(String kafka, String registry) {
        Properties properties = producerProperties(kafka);
        properties.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }
}
