package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as deployed: the Spring Cloud Stream Kafka Streams binder runs the topology exactly-once on a real
 * broker; a grouped notification's first event reaches the sender topic for read_committed readers, and the held
 * ones follow as one digest.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DigestServiceBrokerTest {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) throws Exception {
        TestInfrastructure.createTopics(2, "notifications.digest", "notifications.slack.digested", "notifications.digest.dlq");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("spring.cloud.stream.kafka.streams.binder.applicationId", () -> "digest-test-" + UUID.randomUUID());
        String stateDir = Files.createTempDirectory("digest-state").toString();
        registry.add("spring.cloud.stream.kafka.streams.binder.configuration.state.dir", () -> stateDir);
        registry.add("spring.cloud.stream.kafka.streams.binder.configuration.auto.offset.reset", () -> "earliest");
    }

    @Test
    void readinessFollowsTheKafkaStreamsTopology() {
        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(readiness).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"binders\"");
        });
    }

    @Test
    void aGroupedBurstReachesTheSenderTopicAsTheFirstEventPlusOneDigest() throws Exception {
        String registry = TestInfrastructure.schemaRegistryUrl();
        AvroSerializer<Notification> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", registry), false);
        NoiseControl grouping = DigestTopologyTest.grouping(0, 2_000);
        List<String> ids = new ArrayList<>();
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(), avro)) {
            for (int i = 0; i < 20; i++) {
                Notification n = DigestTopologyTest.notification("sync.failed", grouping);
                ids.add(n.getEvent().getEventId());
                producer.send(new ProducerRecord<>("notifications.digest", DigestTopologyTest.DEST, n));
            }
        }
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "digest-test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AvroDeserializer<Notification> reader = new AvroDeserializer<>();
        reader.configure(Map.of("schema.registry.url", registry), false);
        List<Notification> sent = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), reader)) {
            consumer.subscribe(List.of("notifications.slack.digested"));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> sent.add(r.value()));
                return DigestTopologyTest.covered(sent).size() >= ids.size();
            });
        }
        assertThat(DigestTopologyTest.covered(sent)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent).hasSizeLessThanOrEqualTo(3);
        assertThat(sent.getFirst().getDigest()).isNull();
    }
}
