package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestApiTest.assertProblem;
import static com.messagingconnectors.ingest.IngestClient.json;
import static com.messagingconnectors.ingest.IngestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With Kafka or the schema registry out of reach the service answers 503 with Retry-After, quickly. */
class UnavailableDependenciesTest {
    private static final String EVENT = q("""
            {'type': 'report.completed', 'workspaceId': 'ws_acme', 'summary': 'Weekly revenue is ready',
             'payload': {'reportId': 'rep_1', 'reportName': 'Weekly revenue'}}""");

    /** A loopback port nobody listens on. */
    static String closedAddress() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka at a closed port, the real registry. */
    static void unreachableBroker(DynamicPropertyRegistry registry) {
        String closed = closedAddress();
        registry.add("ingest.bootstrap-servers", () -> closed);
        registry.add("ingest.schema-registry-url", TestInfrastructure::schemaRegistryUrl);
    }

    @Nested
    @DirtiesContext // closes the producer that would keep knocking on the closed port
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"ingest.max-block=1s", "ingest.send-timeout=2s", "ingest.retry-after=7s"})
    class BrokerDown {
        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            unreachableBroker(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void eventsGet503WithRetryAfterAndTheServiceIsNotReadyButLive() {
            IngestClient client = new IngestClient(port);

            HttpResponse<String> response = client.postJson("/v1/events", EVENT);

            assertProblem(response, 503, "broker_unavailable");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(json(response).get("detail").textValue()).startsWith("Kafka did not acknowledge");

            HttpResponse<String> batch = client.postJson("/v1/events:batch", "{\"events\": [" + EVENT + "]}");
            assertProblem(batch, 503, "broker_unavailable");

            assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(client.get("/actuator/prometheus").body()).contains(
                    "connectors_ingest_events_total{outcome=\"rejected\",reason=\"broker_unavailable\","
                            + "type=\"report.completed\"} 2.0");
        }
    }

    @Nested
    @DirtiesContext // closes the producer that would keep knocking on the closed port
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"ingest.max-block=1s", "ingest.send-timeout=2s"})
    class RegistryDown {
        @DynamicPropertySource
        static void unreachableRegistry(DynamicPropertyRegistry registry) {
            String closed = closedAddress();
            registry.add("ingest.bootstrap-servers", TestInfrastructure::bootstrapServers);
            registry.add("ingest.schema-registry-url", () -> "http://" + closed);
        }

        @LocalServerPort
        int port;

        @Test
        void eventsGet503AndNothingIsProduced() {
            TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
            try (TopicProbe topic = new TopicProbe(Topics.PLATFORM_EVENTS)) {
                long before = topic.totalEnd();

                HttpResponse<String> response = new IngestClient(port).postJson("/v1/events", EVENT);

                assertProblem(response, 503, "registry_unavailable");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(topic.totalEnd()).isEqualTo(before);
            }
        }

        @Test
        void theServiceIsNotReadyWhileItCannotFetchTheEventSchemaButLive() {
            IngestClient client = new IngestClient(port);
            assertProblem(client.postJson("/v1/events", EVENT), 503, "registry_unavailable");

            assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    /**
     * Load shedding: requests waiting for a broker that does not answer stay in flight; beyond the memory budget
     * (ingest.max-in-flight; a small event counts about 17 KiB) the next request is refused at once with 503
     * "overloaded" rather than queued, and the budget is free again once they are answered.
     */
    @Nested
    @DirtiesContext // closes the producer that would keep knocking on the closed port
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"ingest.max-block=3s", "ingest.send-timeout=4s", "ingest.max-in-flight=40KB"})
    class Overloaded {
        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            unreachableBroker(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void beyondTheInFlightBudgetARequestIsRefusedAtOnce() {
            IngestClient client = new IngestClient(port);
            List<CompletableFuture<HttpResponse<String>>> waiting = List.of(
                    CompletableFuture.supplyAsync(() -> client.postJson("/v1/events", EVENT)),
                    CompletableFuture.supplyAsync(() -> client.postJson("/v1/events", EVENT)));
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlightBytes(client) >= 2 * 17 * 1024);

            HttpResponse<String> refused = client.postJson("/v1/events", EVENT);

            assertProblem(refused, 503, "overloaded");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(waiting).as("the two admitted requests were still waiting for Kafka").noneMatch(
                    CompletableFuture::isDone);
            for (CompletableFuture<HttpResponse<String>> admitted : waiting) {
                assertProblem(admitted.join(), 503, "broker_unavailable");
            }
            assertThat(inFlightBytes(client)).isZero();
        }

        private static double inFlightBytes(IngestClient client) {
            return client.get("/actuator/prometheus").body().lines()
                    .filter(line -> line.startsWith("connectors_ingest_in_flight_bytes"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .findFirst().orElseThrow();
        }
    }
}
