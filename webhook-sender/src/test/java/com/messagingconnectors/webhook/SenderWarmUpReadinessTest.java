package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.engine.DeliveryAutoConfiguration.DeliveryEngines;
import com.messagingconnectors.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A sender is not ready before its warm-up is over: the real webhook-sender application on the real broker gets one
 * more channel whose rehearsal waits until the test lets it go. While it waits, the readiness probe Kubernetes and
 * {@code ./local-stack} call answers 503 and the engine says why; once the rehearsals ran, the probe answers 200, and
 * nothing of them shows where real deliveries do (attempt counters, the delivered log).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "connectors.secrets.keys=" + "t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.security.local-mode=true",
        "connectors.replay.channel=webhook",
        "connectors.delivery.topic-partitions=1",
        "connectors.delivery.warm-up-rounds=20",
        "connectors.delivery.shutdown-timeout=1s"})
@Import(SenderWarmUpReadinessTest.GatedChannel.class)
@DirtiesContext
class SenderWarmUpReadinessTest {
    static final String GATED = "warmupgated";
    static final CountDownLatch rehearsalsMayRun = new CountDownLatch(1);
    static final AtomicInteger rehearsed = new AtomicInteger();

    @TestConfiguration
    static class GatedChannel {
        @Bean
        NotificationChannel gatedChannel() {
            return new NotificationChannel() {
                @Override
                public String name() {
                    return GATED;
                }

                @Override
                public DeliveryOutcome deliver(DeliveryRequest request) {
                    throw new AssertionError("no notification is sent to this channel");
                }

                @Override
                public Optional<Rehearsal> rehearsal(URI sink) {
                    NotificationChannel copy = new NotificationChannel() {
                        @Override
                        public String name() {
                            return GATED;
                        }

                        @Override
                        public DeliveryOutcome deliver(DeliveryRequest request) {
                            try {
                                assertThat(rehearsalsMayRun.await(60, TimeUnit.SECONDS)).isTrue();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            rehearsed.incrementAndGet();
                            return new DeliveryOutcome.Delivered();
                        }
                    };
                    WebhookEndpointConfig endpoint = new WebhookEndpointConfig("e0", "sink", sink.toString(), null,
                            null, Map.of(), List.of(), true, Map.of(), null);
                    return Optional.of(Rehearsal.of(copy, IntegrationKind.webhook, endpoint, Map.of(), Map.of(),
                            () -> { }));
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DeliveryEngines engines;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @Test
    void theReadinessProbeWaitsForTheWarmUp() throws Exception {
        // everything else is ready: the webhook engine warmed up, the gated one holds its partitions
        await().atMost(Duration.ofSeconds(60)).until(() -> engines.engine(WebhookChannel.NAME).readiness()
                .notReadyBecause() == null);
        await().atMost(Duration.ofSeconds(60)).until(() -> "warming up".equals(engines.engine(GATED).readiness()
                .notReadyBecause()));
        assertThat(readiness().statusCode()).isEqualTo(503);

        rehearsalsMayRun.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().statusCode() == 200);
        assertThat(rehearsed).hasValue(20);
        assertThat(engines.engine(GATED).readiness().notReadyBecause()).isNull();
        // 40 rehearsed deliveries (20 per engine), and nothing of them recorded: no attempt counted, no delivered id kept
        assertThat(meters.find("connectors.delivery.attempts").counters())
                .allSatisfy(attempts -> assertThat(attempts.count()).isZero());
        assertThat(engines.engine(GATED).deliveredLog().size()).isZero();
    }

    private HttpResponse<String> readiness() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
