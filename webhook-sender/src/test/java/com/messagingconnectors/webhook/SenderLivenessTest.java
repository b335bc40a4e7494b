package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A sender whose delivery loop dies is restarted: the real webhook-sender application, with the real engine on the
 * real broker, gets one more channel whose delivery throws an {@link OutOfMemoryError}. Its engine stops, and the
 * liveness probe Kubernetes calls answers DOWN well within 30 s (it was UP before), and the readiness probe takes the
 * sender out of service too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "connectors.secrets.keys=" + "t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.security.local-mode=true",
        "connectors.replay.channel=webhook",
        "connectors.delivery.topic-partitions=1",
        "connectors.delivery.shutdown-timeout=1s"})
@Import(SenderLivenessTest.DoomedChannel.class)
@DirtiesContext
class SenderLivenessTest {
    static final String DOOMED = "livenessdoomed";

    @TestConfiguration
    static class DoomedChannel {
        static final AtomicInteger calls = new AtomicInteger();

        @Bean
        NotificationChannel doomedChannel() {
            return new NotificationChannel() {
                @Override
                public String name() {
                    return DOOMED;
                }

                @Override
                public DeliveryOutcome deliver(DeliveryRequest request) {
                    calls.incrementAndGet();
                    throw new OutOfMemoryError("injected: the delivery of this sender cannot go on");
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ConfigView configView;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @Test
    void livenessGoesDownWithin30SecondsWhenTheDeliveryLoopDies() throws Exception {
        assertThat(liveness().statusCode()).isEqualTo(200);

        try (DeliveryFixture fixture = new DeliveryFixture();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestInfrastructure.producerProperties());
             AvroSerializer<Notification> serializer = new AvroSerializer<>()) {
            IntegrationConfig integration = fixture.integration("ws-liveness", List.of("http://127.0.0.1:9/none"),
                    List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Map.of());
            await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());
            serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()),
                    false);
            Notification notification = DeliveryFixture.notification(integration, "e0");
            notification.setChannel(DOOMED);
            producer.send(new ProducerRecord<>(Topics.notifications(DOOMED),
                    notification.getDestination().getDestinationId(),
                    serializer.serialize(Topics.notifications(DOOMED), notification))).get();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> DoomedChannel.calls.get() > 0);
        long failedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> liveness().statusCode() == 503);
        assertThat(Duration.ofNanos(System.nanoTime() - failedAt)).isLessThan(Duration.ofSeconds(30));
        assertThat(liveness().body()).contains("\"status\":\"DOWN\"");
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(health).contains("\"status\":\"DOWN\"");
        HttpResponse<String> readiness = probe("readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"status\":\"DOWN\"");
    }

    private HttpResponse<String> liveness() throws Exception {
        return probe("liveness");
    }

    private HttpResponse<String> probe(String group) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/" + group)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
