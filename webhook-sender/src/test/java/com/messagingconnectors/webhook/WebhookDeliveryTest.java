package com.messagingconnectors.webhook;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.messagingconnectors.webhook.signing.WebhookSigner;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * webhook-sender end to end inside one JVM: the real engine on a real broker, real HTTP receivers on loopback, the
 * retry schedule compressed to milliseconds (0, 200, 400, 600 ms: four attempts, no jitter), a circuit that opens
 * after three consecutive failures for one second, and a one-second request timeout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=" + "t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.security.local-mode=true",
        "connectors.webhook.connect-timeout=1s",
        "connectors.webhook.request-timeout=1s",
        "connectors.delivery.schedule=0ms,200ms,400ms,600ms",
        "connectors.delivery.jitter=0",
        "connectors.delivery.retry-floor=100ms",
        "connectors.delivery.circuit-failure-threshold=3",
        "connectors.delivery.circuit-open-for=1s",
        "connectors.delivery.topic-partitions=3",
        "connectors.delivery.shutdown-timeout=2s"})
@DirtiesContext // WebhookSsrfDeliveryTest runs a sender with another policy on the same topics
class WebhookDeliveryTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String SECRET_NEW = WebhookSigner.newSecret();
    private static final String SECRET_OLD = WebhookSigner.newSecret();
    private static Receiver receiver;
    private static DeliveryFixture kafka;

    @Autowired
    ConfigView configView;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @BeforeAll
    static void start() throws IOException {
        assertThat(DeliveryFixture.KEYS).isEqualTo("t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        TestInfrastructure.createTopics(3, "connectors.config");
        receiver = new Receiver();
        kafka = new DeliveryFixture();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        kafka.close();
    }

    private IntegrationConfig endpoints(String... paths) {
        IntegrationConfig integration = kafka.integration("ws-test",
                java.util.Arrays.stream(paths).map(receiver::url).toList(), List.of(SECRET_NEW, SECRET_OLD),
                Map.of("X-Customer", "acme"));
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());
        return integration;
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(Notification notification) {
        String key = notification.getDestination().getDestinationId();
        await().until(() -> !kafka.deadLettersWithKey(key).isEmpty());
        return kafka.deadLettersWithKey(key).getFirst();
    }

    @Test
    void deliversTheSignedJsonWithTheEndpointsHeaders() throws Exception {
        IntegrationConfig integration = endpoints("/ok/signed");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        await().until(() -> receiver.requestsTo("/ok/signed").size() == 1);
        Receiver.Request request = receiver.requestsTo("/ok/signed").getFirst();
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Customer")).isEqualTo("acme");
        assertThat(request.header("webhook-id")).isEqualTo(notification.getNotificationId());
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("type").asString("")).isEqualTo("report.completed");
        assertThat(body.has("timestamp")).isTrue();
        assertThat(body.has("data")).isTrue();
        long timestamp = Long.parseLong(request.header("webhook-timestamp"));
        // both secrets sign during a rotation (the independent verification is the standardwebhooks interop test)
        String expected = WebhookSigner.sign(notification.getNotificationId(), timestamp, request.body(),
                List.of(SECRET_NEW, SECRET_OLD));
        assertThat(request.header("webhook-signature")).isEqualTo(expected);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        await().until(() -> kafka.statuses.stream().anyMatch(s -> s.integrationId().equals(integration.id())
                && StatusReport.DELIVERED.equals(s.state())));
    }

    @Test
    void aDigestCarriesItsDocumentedDigestObjectWithEveryEventId() throws Exception {
        // a workspace id as ingest accepts it ("ws_…"), which the published schema checks
        IntegrationConfig integration = kafka.integration("ws_digest", List.of(receiver.url("/ok/digest")),
                List.of(SECRET_NEW), Map.of());
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());
        Notification digest = DeliveryFixture.digestNotification(integration, "e0", 1_000);

        kafka.sendFromDigestStage(digest);

        await().until(() -> receiver.requestsTo("/ok/digest").size() == 1);
        Receiver.Request request = receiver.requestsTo("/ok/digest").getFirst();
        assertThat(request.header("webhook-id")).isEqualTo(digest.getNotificationId());
        JsonNode body = JSON.readTree(request.body());
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (String name : List.of("digest", "sync.failed")) {
            Schema schema = schemas.getSchema(Files.readString(Path.of(
                    "../schemas/src/main/resources/webhook-payloads", name + ".schema.json")), InputFormat.JSON);
            assertThat(schema.validate(body.toString(), InputFormat.JSON)).as("%s schema", name).isEmpty();
        }
        JsonNode d = body.get("digest");
        assertThat(d.get("count").asInt(0)).isEqualTo(1_000);
        assertThat(d.get("reason").asString("")).isEqualTo("grouped");
        assertThat(d.get("groupLabel").asString("")).isEqualTo("sync.failed, pg-prod");
        assertThat(d.get("samples").get(1).asString("")).isEqualTo("pg-prod: <b>timeout</b> & retry");
        List<String> ids = new java.util.ArrayList<>();
        d.get("eventIds").forEach(id -> ids.add(id.asString("")));
        assertThat(ids).containsExactlyElementsOf(digest.getDigest().getEventIds());
        assertThat(body.get("data").get("eventId").asString("")).isEqualTo(ids.getLast());
        assertThat(body.get("data").get("link").asString("")).isEqualTo("https://app.example.com/sources/pg-prod");
    }

    @Test
    void aRotatedOutSecretSignsUntilItExpiresThenNoLonger() throws Exception {
        Instant now = Instant.now();
        IntegrationConfig rotating = kafka.integration("ws-test", List.of(receiver.url("/ok/rotating")),
                List.of(SECRET_NEW, SECRET_OLD), now.plus(Duration.ofHours(1)), Map.of(), Map.of());
        IntegrationConfig expired = kafka.integration("ws-test", List.of(receiver.url("/ok/expired")),
                List.of(SECRET_NEW, SECRET_OLD), now.minusSeconds(1), Map.of(), Map.of());
        await().until(() -> configView.integration("ws-test", expired.id()).isPresent()
                && configView.integration("ws-test", rotating.id()).isPresent());

        kafka.send(DeliveryFixture.notification(rotating, "e0"), false);
        kafka.send(DeliveryFixture.notification(expired, "e0"), false);

        await().until(() -> receiver.requestsTo("/ok/rotating").size() == 1
                && receiver.requestsTo("/ok/expired").size() == 1);
        Receiver.Request during = receiver.requestsTo("/ok/rotating").getFirst();
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(verifies(during, SECRET_NEW)).isTrue();
        assertThat(verifies(during, SECRET_OLD)).isTrue();
        Receiver.Request after = receiver.requestsTo("/ok/expired").getFirst();
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(verifies(after, SECRET_NEW)).isTrue();
        assertThat(verifies(after, SECRET_OLD)).isFalse();
    }

    @Test
    void sealedCustomHeadersAreOpenedAndSentBesidePlainOnesOfOlderRecords() {
        String token = "Bearer " + java.util.UUID.randomUUID();
        IntegrationConfig integration = kafka.integration("ws-test", List.of(receiver.url("/ok/sealed-headers")),
                List.of(SECRET_NEW), null, Map.of("X-Customer", "acme"), Map.of("Authorization", token));
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());

        kafka.send(DeliveryFixture.notification(integration, "e0"), false);

        await().until(() -> receiver.requestsTo("/ok/sealed-headers").size() == 1);
        Receiver.Request request = receiver.requestsTo("/ok/sealed-headers").getFirst();
        assertThat(request.header("Authorization")).isEqualTo(token);
        assertThat(request.header("X-Customer")).isEqualTo("acme");
    }

    /**
     * Standard Webhooks verification, written out here rather than through WebhookSigner: some {@code v1,} entry is
     * base64(HMAC-SHA256(key, id.timestamp.body)).
     */
    private static boolean verifies(Receiver.Request request, String secret) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal((request.header(
                "webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body())
                .getBytes(StandardCharsets.UTF_8)));
        return List.of(request.header("webhook-signature").split(" ")).contains(expected);
    }

    @Test
    void otherClientErrorsAreDeadLetteredAtOnceWithTheirReason() {
        IntegrationConfig integration = endpoints("/status/400");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(notification);
        assertThat(receiver.requestsTo("/status/400")).hasSize(1);
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.HTTP_STATUS)).isEqualTo("400");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.REASON)).isEqualTo("client");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.ORIGINAL_TOPIC))
                .isEqualTo("notifications.webhook");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE)).contains("HTTP 400");
    }

    @Test
    void goneDisablesTheEndpoint() {
        IntegrationConfig integration = endpoints("/status/410");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(notification);
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.REASON)).isEqualTo("destination_gone");
        await().until(() -> kafka.statuses.stream().anyMatch(s -> s.integrationId().equals(integration.id())
                && "endpoint_disabled".equals(s.reason()) && "e0".equals(s.channelId())));
    }

    @Test
    void redirectsAreRefusedNotFollowed() {
        IntegrationConfig integration = endpoints("/redirect/a");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(notification);
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE))
                .contains("redirect refused");
        assertThat(receiver.requestsTo("/redirect/a")).hasSize(1);
        assertThat(receiver.requestsTo("/ok")).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedOnTheScheduleWithTheSameId() {
        IntegrationConfig integration = endpoints("/flaky/2/schedule");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        await().until(() -> receiver.requestsTo("/flaky/2/schedule").size() == 3);
        List<Receiver.Request> attempts = receiver.requestsTo("/flaky/2/schedule");
        assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(notification.getNotificationId());
        // attempt 2 waits 200 ms, attempt 3 400 ms (no jitter in this test)
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(200));
        assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(400));
        assertThat(kafka.deadLettersWithKey(notification.getDestination().getDestinationId())).isEmpty();
    }

    @Test
    void retryAfterIsHonouredUpToTwiceTheScheduledDelay() {
        IntegrationConfig integration = endpoints("/retry-after/429/1");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        await().until(() -> receiver.requestsTo("/retry-after/429/1").size() >= 2);
        List<Receiver.Request> attempts = receiver.requestsTo("/retry-after/429/1");
        // Retry-After 1 s against a scheduled 200 ms: clamped to twice the scheduled delay
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(400));
    }

    @Test
    void retriesEndInTheDeadLetterTopicWithTheirHistory() {
        IntegrationConfig integration = endpoints("/status/503");
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(notification);
        assertThat(receiver.requestsTo("/status/503")).hasSize(4);
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.ATTEMPTS)).isEqualTo("4");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.REASON)).isEqualTo("server");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.HTTP_STATUS)).isEqualTo("503");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.ORIGINAL_TOPIC))
                .isEqualTo("notifications.webhook");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.FIRST_ATTEMPT)).isNotNull();
        assertThat(deadLetter.headers().lastHeader("connectors-delivery-attempt")).isNull();
    }

    @Test
    void timeoutsAndRefusedConnectionsAreRetriedThenDeadLettered() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IntegrationConfig hanging = endpoints("/hang/timeout");
        IntegrationConfig refused = kafka.integration("ws-test",
                List.of("http://127.0.0.1:" + closedPort + "/hook"), List.of(SECRET_NEW), Map.of());
        await().until(() -> configView.integration("ws-test", refused.id()).isPresent());
        Notification toHanging = DeliveryFixture.notification(hanging, "e0");
        Notification toRefused = DeliveryFixture.notification(refused, "e0");

        kafka.send(toHanging, false);
        kafka.send(toRefused, false);

        ConsumerRecord<String, byte[]> refusedLetter = awaitDeadLetter(toRefused);
        assertThat(DeliveryFixture.header(refusedLetter, DeliveryHeaders.REASON)).isEqualTo("connection");
        assertThat(DeliveryFixture.header(refusedLetter, DeliveryHeaders.ATTEMPTS)).isEqualTo("4");
        ConsumerRecord<String, byte[]> hangingLetter = awaitDeadLetter(toHanging);
        assertThat(DeliveryFixture.header(hangingLetter, DeliveryHeaders.REASON)).isEqualTo("timeout");
        assertThat(receiver.requestsTo("/hang/timeout")).hasSize(4);
    }

    @Test
    void undecodableRecordsAreDeadLetteredAtOnce() {
        kafka.sendRaw("poison-key", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

        await().until(() -> !kafka.deadLettersWithKey("poison-key").isEmpty());
        ConsumerRecord<String, byte[]> deadLetter = kafka.deadLettersWithKey("poison-key").getFirst();
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"avro\"}");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.REASON)).isEqualTo("poison");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.EXCEPTION_CLASS))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(DeliveryFixture.header(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE)).contains("magic byte");
    }

    @Test
    void hangingAndFailingEndpointsDoNotDelayAHealthyOneInTheSamePartition() {
        IntegrationConfig integration = endpoints("/hang/isolation", "/status/500/isolation", "/ok/isolation");
        List<Notification> toHanging = IntStream.range(0, 20).mapToObj(i -> DeliveryFixture.notification(
                integration, "e0")).toList();
        List<Notification> toFailing = IntStream.range(0, 20).mapToObj(i -> DeliveryFixture.notification(
                integration, "e1")).toList();
        List<Notification> toHealthy = IntStream.range(0, 50).mapToObj(i -> DeliveryFixture.notification(
                integration, "e2")).toList();

        toHanging.forEach(n -> kafka.send(n, true));
        toFailing.forEach(n -> kafka.send(n, true));
        toHealthy.forEach(n -> kafka.send(n, true));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requestsTo("/ok/isolation").size() >= 50);
        // the healthy endpoint got everything while the others are still far from done
        assertThat(kafka.deadLettersWithKey(integration.destinationId("e0")).size()).isLessThan(20);
        assertThat(kafka.deadLettersWithKey(integration.destinationId("e1")).size()).isLessThan(20);
        assertThat(receiver.requestsTo("/ok/isolation")).extracting(r -> r.header("webhook-id"))
                .containsExactlyInAnyOrderElementsOf(toHealthy.stream().map(Notification::getNotificationId)
                        .toList());
    }

    @Test
    void anOpenCircuitParksInsteadOfHammering() {
        IntegrationConfig integration = endpoints("/status/500/breaker");
        List<Notification> notifications = IntStream.range(0, 10).mapToObj(i -> DeliveryFixture.notification(
                integration, "e0")).toList();

        notifications.forEach(n -> kafka.send(n, false));

        await().until(() -> kafka.statuses.stream().anyMatch(s -> s.integrationId().equals(integration.id())
                && "repeated_failures".equals(s.reason())));
        // three consecutive failures opened it: the seven others were parked, not attempted
        assertThat(receiver.requestsTo("/status/500/breaker")).hasSize(3);
        assertThat(kafka.deadLettersWithKey(integration.destinationId("e0"))).isEmpty();
        // parked, not dropped: once the circuit closes they come back
        await().until(() -> receiver.requestsTo("/status/500/breaker").size() > 3);
    }

    @Test
    void aNotificationIdAlreadyDeliveredIsNotSentTwice() {
        IntegrationConfig integration = endpoints("/ok/dedupe");
        Notification first = DeliveryFixture.notification(integration, "e0");
        Notification marker = DeliveryFixture.notification(integration, "e0");
        double skippedBefore = meters.counter("connectors.delivery.skipped", "channel", "webhook", "reason",
                "already_delivered").count();

        kafka.send(first, false);
        kafka.send(first, false);
        kafka.send(marker, false);

        // one destination keeps its order: when the marker arrived, the duplicate was handled before it
        await().until(() -> receiver.requestsTo("/ok/dedupe").stream()
                .anyMatch(r -> marker.getNotificationId().equals(r.header("webhook-id"))));
        assertThat(receiver.requestsTo("/ok/dedupe")).extracting(r -> r.header("webhook-id"))
                .containsExactly(first.getNotificationId(), marker.getNotificationId());
        assertThat(meters.counter("connectors.delivery.skipped", "channel", "webhook", "reason",
                "already_delivered").count()).isGreaterThan(skippedBefore);
    }
}
