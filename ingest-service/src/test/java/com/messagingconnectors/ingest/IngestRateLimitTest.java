package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestApiTest.assertProblem;
import static com.messagingconnectors.ingest.IngestClient.json;
import static com.messagingconnectors.ingest.IngestClient.invitedEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-key rate limit over real HTTP with a real broker: a key over its limit gets 429 with Retry-After and nothing
 * is published, other keys carry on, a batch costs its number of events. 1 event/s and bursts of 5 here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ingest.rate-limit.events-per-second=1", "ingest.rate-limit.burst=5", "ingest.max-batch-events=5"})
class IngestRateLimitTest {
    private static TopicProbe topic;
    private static String busyKey;
    private static String quietKey;
    private static String batchKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TopicProbe.useTestInfrastructure(registry);
    }

    @BeforeAll
    static void keys() {
        topic = TopicProbe.platformEvents();
        busyKey = WorkspaceKeys.create("ws_busy", "key_busy");
        batchKey = WorkspaceKeys.create("ws_batch_rl", "key_batch");
        quietKey = WorkspaceKeys.create("ws_quiet", "key_quiet"); // last: once it works, the others are known too
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private static String batch(String workspace, int events) {
        return "{\"events\":[" + String.join(",", Collections.nCopies(events, invitedEvent(workspace))) + "]}";
    }

    private void keysAreLoaded() {
        IngestClient quiet = new IngestClient(port, quietKey);
        await().atMost(Duration.ofSeconds(20)).until(() -> quiet.postJson("/v1/events", invitedEvent("ws_quiet"))
                .statusCode() == 202);
    }

    private double rateLimited() {
        return meters.counter(IngestRateLimiter.METRIC).count();
    }

    @Test
    void aKeyOverItsLimitGets429WithRetryAfterWhileOtherKeysCarryOn() {
        keysAreLoaded();
        IngestClient busy = new IngestClient(port, busyKey);
        double limitedBefore = rateLimited();
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) { // 5 at once, then 1 a second
            HttpResponse<String> response = busy.postJson("/v1/events", invitedEvent("ws_busy"));
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                refused = response;
            }
        }
        long before = topic.totalEnd();

        assertThat(accepted).as("the burst").isGreaterThanOrEqualTo(5);
        assertThat(refused).isNotNull();
        assertProblem(refused, 429, "rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(refused).get("detail").textValue()).contains("1 events per second", "bursts of up to 5",
                "nothing was published");
        HttpResponse<String> batchRefused = busy.postJson("/v1/events:batch", batch("ws_busy", 2));
        assertProblem(batchRefused, 429, "rate_limited");
        assertThat(topic.totalEnd()).isEqualTo(before);
        assertThat(rateLimited()).isEqualTo(limitedBefore + 2);
        assertThat(new IngestClient(port).get("/actuator/prometheus").body())
                .contains("connectors_ingest_rate_limited_total");

        assertThat(new IngestClient(port, quietKey).postJson("/v1/events", invitedEvent("ws_quiet")).statusCode())
                .as("another workspace's key is not slowed down").isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> busy.postJson("/v1/events", invitedEvent("ws_busy"))
                .statusCode() == 202);
    }

    @Test
    void aBatchCostsItsNumberOfEvents() {
        keysAreLoaded();
        IngestClient client = new IngestClient(port, batchKey);

        assertThat(client.postJson("/v1/events:batch", batch("ws_batch_rl", 5)).statusCode()).isEqualTo(202);
        HttpResponse<String> next = client.postJson("/v1/events", invitedEvent("ws_batch_rl"));

        assertProblem(next, 429, "rate_limited");
    }

    @Test
    void theOperatorKeyIsNotLimitedByDefault() {
        IngestClient operator = new IngestClient(port);
        for (int i = 0; i < 8; i++) {
            assertThat(operator.postJson("/v1/events", invitedEvent("ws_platform")).statusCode()).isEqualTo(202);
        }
    }
}
