package com.messagingconnectors.router;

import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees of a running router over HTTP: its Kafka clients' series (consumer lag per group and
 * partition) at /actuator/prometheus, and liveness that fails once the routing loop has stopped for good (here:
 * fenced by another producer taking its transactional id, as a zombie instance would be).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class RouterOperationsTest {
    static final String INPUT = "ops-events-" + UUID.randomUUID().toString().substring(0, 8);
    static final String GROUP = "router-ops-test";
    static final String TRANSACTIONAL_ID = "router-ops-" + UUID.randomUUID();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        TestInfrastructure.createTopics(3, INPUT, "notifications.slack", "notifications.teams",
                "notifications.webhook");
        TestInfrastructure.createTopics(1, "connectors.config", "platform.events.dlq");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.router.input-topic", () -> INPUT);
        registry.add("connectors.router.group-id", () -> GROUP);
        registry.add("connectors.router.transactional-id", () -> TRANSACTIONAL_ID);
    }

    @Test
    @Order(1)
    void consumerLagPerGroupAndPartitionIsScraped() {
        produce(event());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String scrape = get("/actuator/prometheus").body();
            assertThat(scrape.lines().filter(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag{")
                    && line.contains("group=\"" + GROUP + "\"") && line.contains("topic=\"" + INPUT + "\"")))
                    .as("lag series of the router's consumer, one per assigned partition").hasSize(3);
            assertThat(scrape).contains("kafka_producer_record_error_total{");
        });
    }

    @Test
    @Order(2)
    void livenessFailsOnceTheRoutingLoopIsFenced() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        Properties props = TestInfrastructure.producerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        try (var zombieKiller = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            zombieKiller.initTransactions();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                produce(event());
                assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(503);
            });
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PlatformEvent event() {
        return RouterRoutingTest.event("ws_ops_" + UUID.randomUUID().toString().substring(0, 8), "report.completed",
                Level.info);
    }

    private static void produce(PlatformEvent event) {
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(), avro)) {
            producer.send(new ProducerRecord<>(INPUT, event.getWorkspaceId(), event));
        }
    }
}
