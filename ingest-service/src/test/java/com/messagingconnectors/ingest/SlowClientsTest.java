package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.invitedEvent;
import static com.messagingconnectors.ingest.IngestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.testsupport.ChunkedUpload;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One key holding many slow chunked uploads cannot take the in-flight budget (or the threads) from everybody else:
 * 70 of them, each sending 8 KB and then trickling bytes, take at most the key's share (512 KiB of 1 MiB here; at
 * ~24 KiB a request they would hold all of it), other workspaces' keys still get 202, and every slow upload ends with
 * an error, publishing nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ingest.max-in-flight=1MB", "ingest.max-in-flight-per-key=512KB", "connectors.http.body-read-timeout=8s"})
class SlowClientsTest {
    private static final int SLOW_UPLOADS = 70;
    private static TopicProbe topic;
    private static String slowKey;
    private static String lateKey;
    private static String otherKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TopicProbe.useTestInfrastructure(registry);
    }

    @BeforeAll
    static void keys() {
        topic = TopicProbe.platformEvents();
        slowKey = WorkspaceKeys.create("ws_slow", "key_slow");
        lateKey = WorkspaceKeys.create("ws_late", "key_late");
        otherKey = WorkspaceKeys.create("ws_other", "key_other"); // last: once it works, the others are known too
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    IngestAdmission admission;

    /** Sends the first 8 KB of an event at once, then one byte every 100 ms; the answer comes long before the end. */
    private ChunkedUpload.Response slowUpload(String key, String workspace) throws IOException, InterruptedException {
        try (ChunkedUpload upload = ChunkedUpload.start(port, "/v1/events",
                Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"))) {
            upload.send(q("{'type': 'user.invited', 'workspaceId': '" + workspace + "', 'summary': '")
                    + "x".repeat(8000));
            upload.trickle("x".repeat(200), Duration.ofMillis(100));
            return upload.response();
        }
    }

    @Test
    void manySlowUploadsOfOneKeyDoNotStopOtherWorkspaces() {
        IngestClient other = new IngestClient(port, otherKey);
        await().atMost(Duration.ofSeconds(20)).until(() -> other.postJson("/v1/events", invitedEvent("ws_other"))
                .statusCode() == 202);
        var before = topic.endOffsets();
        AtomicInteger slowAnswered = new AtomicInteger();

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ChunkedUpload.Response>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_UPLOADS; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> answered(slowAnswered, "ws_slow", slowKey), clients));
            }
            // another workspace's one slow upload: its own share, so it runs into the read deadline
            CompletableFuture<ChunkedUpload.Response> late =
                    CompletableFuture.supplyAsync(() -> answered(new AtomicInteger(), "ws_late", lateKey), clients);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.inFlightBytes() >= 512 * 1024);

            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(CompletableFuture.supplyAsync(
                        () -> other.postJson("/v1/events", invitedEvent("ws_other")).statusCode(), clients));
            }
            List<Integer> otherStatuses = others.stream().map(CompletableFuture::join).toList();

            assertThat(otherStatuses).as("other workspaces are served").containsOnly(202);
            assertThat(slowAnswered).as("…while the slow uploads were still in flight").hasValueLessThan(SLOW_UPLOADS);
            List<Integer> slowStatuses = slow.stream().map(f -> f.join().status()).toList();
            assertThat(slowStatuses).as("every slow upload ends with 503 (over the key's share) or 408 (too slow)")
                    .hasSize(SLOW_UPLOADS).allMatch(status -> status == 503 || status == 408);
            ChunkedUpload.Response lateAnswer = late.join();
            assertThat(lateAnswer.status()).isEqualTo(408);
            assertThat(lateAnswer.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(lateAnswer.body()).contains("\"reason\":\"body_timeout\"", "nothing was processed");
        }
        assertThat(topic.recordsAfter(before, 20)).allMatch(record -> record.key().equals("ws_other"));
        assertThat(topic.totalEnd()).as("nothing from the slow uploads")
                .isEqualTo(before.values().stream().mapToLong(Long::longValue).sum() + 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> admission.inFlightBytes() == 0);
    }

    private ChunkedUpload.Response answered(AtomicInteger answered, String workspace, String key) {
        try {
            return slowUpload(key, workspace);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            answered.incrementAndGet();
        }
    }
}
