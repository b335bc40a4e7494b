package com.messagingconnectors.delivery.replay;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The admin HTTP API a sender gets from delivery-core's auto-configuration, called over real HTTP against a real
 * broker: API-key protection, listing with filters, dry run, replay, and problem+json for bad arguments.
 */
@SpringBootTest(classes = DeadLetterAdminApiTest.SenderApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connectors.security.admin-api-key=test-admin-key"})
class DeadLetterAdminApiTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Notification ids the "sender" has delivered already. */
    static final Set<String> DELIVERED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SenderApp {
        @Bean
        DeliveredCheck deliveredCheck() {
            return DELIVERED::contains;
        }

        /** The sender's channel: the admin API serves its dead-letter topic. Never asked to deliver here. */
        @Bean
        NotificationChannel teamsChannel() {
            return new NotificationChannel() {
                @Override
                public String name() {
                    return "teams";
                }

                @Override
                public DeliveryOutcome deliver(DeliveryRequest request) {
                    throw new UnsupportedOperationException("this test sender only serves the admin API");
                }
            };
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @LocalServerPort
    int port;

    private final DeadLetterFixture fixture = new DeadLetterFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void refusesCallsWithoutTheAdminKey() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/admin/dead-letters")).GET().build());
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/admin/dead-letters"))
                .header("Authorization", "Bearer not-the-key").GET().build());
        HttpResponse<String> replay = send(HttpRequest.newBuilder(uri("/admin/dead-letters:replay"))
                .header("Authorization", "Bearer not-the-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workspace\":\"ws_x\",\"dryRun\":false}")).build());

        for (HttpResponse<String> response : java.util.List.of(missing, wrong, replay)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(JSON.readTree(missing.body()).get("detail").asString("")).contains("Authorization: Bearer <key>");
    }

    @Test
    void listsDryRunsAndReplaysOverHttp() throws Exception {
        String ws = fixture.workspace;
        Notification failed = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_h/ch_1", "report.completed"),
                DeadLetterFixture.T10, DeadLetterFixture.PERMANENT, 404);
        Notification delivered = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_h/ch_2", "sync.failed"),
                DeadLetterFixture.T11, DeadLetterFixture.RETRYABLE, 503);
        DELIVERED.add(delivered.getNotificationId());

        JsonNode list = ok(get("/admin/dead-letters?workspace=" + ws + "&type=report.completed"));
        assertThat(list.get("topic").asString("")).isEqualTo("notifications.teams.dlq");
        assertThat(list.get("count").asInt(0)).isEqualTo(1);
        JsonNode letter = list.get("deadLetters").get(0);
        assertThat(letter.get("notificationId").asString("")).isEqualTo(failed.getNotificationId());
        assertThat(letter.get("destinationId").asString("")).isEqualTo("int_h/ch_1");
        assertThat(letter.get("errorClass").asString("")).isEqualTo(DeadLetterFixture.PERMANENT);
        assertThat(letter.get("httpStatus").asInt(0)).isEqualTo(404);
        assertThat(letter.get("deadLetteredAt").asString("")).isEqualTo(DeadLetterFixture.T10.toString());

        Map<TopicPartition, Long> before = fixture.targetEnd();
        JsonNode dryRun = ok(post("{\"workspace\":\"" + ws + "\"}"));
        assertThat(dryRun.get("dryRun").asBoolean(false)).as("dry run unless asked otherwise").isTrue();
        assertThat(dryRun.get("replayed").asInt(0)).isEqualTo(1);
        assertThat(dryRun.get("skippedAlreadyDelivered").asInt(0)).isEqualTo(1);
        assertThat(fixture.replayedSince(before)).isEmpty();

        JsonNode replay = ok(post("{\"workspace\":\"" + ws + "\",\"dryRun\":false,\"ratePerSecond\":20}"));
        assertThat(replay.get("dryRun").asBoolean(false)).isFalse();
        assertThat(replay.get("replayed").asInt(0)).isEqualTo(1);
        assertThat(replay.get("skippedAlreadyDelivered").asInt(0)).isEqualTo(1);
        assertThat(replay.get("items").findValuesAsString("outcome"))
                .containsExactly("REPLAYED", "SKIPPED_ALREADY_DELIVERED");
        assertThat(fixture.replayedSince(before))
                .extracting(r -> DeadLetterFixture.decode(r.value()).getNotificationId())
                .containsExactly(failed.getNotificationId());
    }

    @Test
    void badArgumentsGetAProblemAndReplayNothing() throws Exception {
        fixture.deadLetter(DeadLetterFixture.notification(fixture.workspace, "int_h/ch_1", "user.invited"),
                DeadLetterFixture.T10, DeadLetterFixture.PERMANENT, 400);
        Map<TopicPartition, Long> before = fixture.targetEnd();

        HttpResponse<String> badQuery = get("/admin/dead-letters?from=yesterday&limit=0");
        HttpResponse<String> typo = post("{\"workspce\":\"" + fixture.workspace + "\",\"dryRun\":false}");
        HttpResponse<String> everything = post("{\"dryRun\":false}");
        HttpResponse<String> notJson = post("workspace=ws_x");

        for (HttpResponse<String> response : java.util.List.of(badQuery, typo, everything, notJson)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(JSON.readTree(badQuery.body()).get("problems")).hasSize(2);
        assertThat(JSON.readTree(typo.body()).get("detail").asString(""))
                .contains("unknown field 'workspce'").endsWith("Nothing was replayed.");
        assertThat(JSON.readTree(everything.body()).get("detail").asString(""))
                .contains("a replay needs at least one of workspace");
        assertThat(fixture.targetEnd()).isEqualTo(before);
    }

    @Test
    void oversizedReplayRequestIsRefusedUnread() throws Exception {
        Map<TopicPartition, Long> before = fixture.targetEnd();

        HttpResponse<String> huge = post("{\"workspace\":\"" + fixture.workspace + "\",\"dryRun\":false,\"padding\":\""
                + "x".repeat(300_000) + "\"}"); // the shared limit: 256 KB

        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
        assertThat(huge.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(huge.body()).get("reason").asString("")).isEqualTo("too_large");
        assertThat(fixture.targetEnd()).isEqualTo(before);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", "Bearer test-admin-key").GET()
                .build());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/admin/dead-letters:replay"))
                .header("Authorization", "Bearer test-admin-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
