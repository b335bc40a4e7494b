package com.messagingconnectors.googlechat;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * googlechat-sender inside one JVM: the real engine on a real broker (the other sender tests' embedded one), a real
 * HTTP server on loopback standing in for Google Chat, the retry schedule compressed to a second (no jitter; a
 * Retry-After is honoured up to twice the scheduled delay, delivery-core's cap), and the documented pace of one
 * message a second per space.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=" + "t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.security.local-mode=true",
        "connectors.googlechat.connect-timeout=1s",
        "connectors.googlechat.request-timeout=2s",
        "connectors.delivery.schedule=0ms,1s,1s,1s",
        "connectors.delivery.jitter=0",
        "connectors.delivery.retry-floor=100ms",
        "connectors.delivery.topic-partitions=3",
        "connectors.delivery.shutdown-timeout=2s"})
class GoogleChatDeliveryTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String TOPIC = Topics.notifications(GoogleChatChannel.NAME);
    private static ChatStandIn chat;
    private static KafkaProducer<String, byte[]> producer;
    private static final AvroSerializer<Notification> serializer = new AvroSerializer<>();
    private static final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;

    @Autowired
    ConfigView configView;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(Spaces.KEYS).isEqualTo("t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        TestInfrastructure.createTopics(3, Topics.CONNECTORS_CONFIG);
        chat = new ChatStandIn();
        producer = new KafkaProducer<>(TestInfrastructure.producerProperties());
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestInfrastructure.schemaRegistryUrl()),
                false);
        Thread.ofPlatform().daemon().start(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    TestInfrastructure.consumerProperties())) {
                consumer.subscribe(List.of(Topics.deadLetter(GoogleChatChannel.NAME)));
                while (reading) {
                    consumer.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        reading = false;
        chat.close();
        producer.close();
    }

    @Test
    void postsACardsV2MessageWithATextFallbackToTheSpacesWebhook() throws Exception {
        IntegrationConfig integration = connected("ok-card");
        PlatformEvent event = PlatformEvent.newBuilder(Spaces.event("report.completed"))
                .setSummary("Revenue <b>up</b> & <users/all> ping").build();

        send(Spaces.notification(integration, event));

        await().until(() -> chat.requestsTo("ok-card").size() == 1);
        ChatStandIn.Request request = chat.requestsTo("ok-card").getFirst();
        assertThat(request.query()).isEqualTo("key=test-key-ok-card&token=test-token-ok-card");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = JSON.readTree(request.body());
        assertThat(message.get("text").asString(""))
                .isEqualTo("Revenue &lt;b&gt;up&lt;/b&gt; &amp; &lt;users/all&gt; ping\nhttps://app.example.com/reports/r-1");
        JsonNode card = message.at("/cardsV2/0/card");
        assertThat(message.at("/cardsV2/0/cardId").asString("")).isNotBlank();
        assertThat(card.at("/header/title").asString("")).isEqualTo("Revenue &lt;b&gt;up&lt;/b&gt; &amp; &lt;users/all&gt; ping");
        assertThat(card.at("/header/subtitle").asString("")).startsWith("report.completed · 2026-03-01 12:30 UTC");
        JsonNode widgets = card.at("/sections/0/widgets");
        assertThat(widgets.get(0).at("/decoratedText/topLabel").asString("")).isEqualTo("Report id");
        assertThat(widgets.get(0).at("/decoratedText/text").asString("")).isEqualTo("r-1");
        assertThat(widgets.get(1).at("/decoratedText/topLabel").asString("")).isEqualTo("Report name");
        assertThat(widgets.get(widgets.size() - 1).at("/buttonList/buttons/0/onClick/openLink/url").asString(""))
                .isEqualTo("https://app.example.com/reports/r-1");
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterThenDelivered() {
        IntegrationConfig integration = connected("busy");

        send(Spaces.notification(integration, Spaces.event("alert.triggered")));

        await().atMost(Duration.ofSeconds(20)).until(() -> chat.requestsTo("busy").size() == 2);
        List<ChatStandIn.Request> requests = chat.requestsTo("busy");
        // the schedule alone (and the 1/s pace) would retry after 1 s; the space asked for 2 s
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        await().during(Duration.ofMillis(500)).until(() -> chat.requestsTo("busy").size() == 2);
        assertThat(deadLettersTo(integration)).isEmpty();
    }

    @Test
    void aRejectedMessageIsDeadLetteredAtOnceWithTheReason() {
        IntegrationConfig bad = connected("status-400-bad");
        IntegrationConfig gone = connected("status-404-gone");
        IntegrationConfig forbidden = connected("status-403-forbidden");

        send(Spaces.notification(bad, Spaces.event("sync.failed")));
        send(Spaces.notification(gone, Spaces.event("sync.failed")));
        send(Spaces.notification(forbidden, Spaces.event("sync.failed")));

        ConsumerRecord<String, byte[]> badLetter = awaitDeadLetter(bad);
        assertThat(header(badLetter, DeliveryHeaders.HTTP_STATUS)).isEqualTo("400");
        assertThat(header(badLetter, DeliveryHeaders.REASON)).isEqualTo("client");
        assertThat(header(badLetter, DeliveryHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(badLetter, DeliveryHeaders.EXCEPTION_MESSAGE)).contains("space webhook rejected: HTTP 400");
        ConsumerRecord<String, byte[]> goneLetter = awaitDeadLetter(gone);
        assertThat(header(goneLetter, DeliveryHeaders.REASON)).isEqualTo("destination_gone");
        assertThat(header(goneLetter, DeliveryHeaders.EXCEPTION_MESSAGE))
                .contains("space webhook rejected: HTTP 404").contains("create a new webhook");
        ConsumerRecord<String, byte[]> forbiddenLetter = awaitDeadLetter(forbidden);
        assertThat(header(forbiddenLetter, DeliveryHeaders.REASON)).isEqualTo("auth");
        assertThat(header(forbiddenLetter, DeliveryHeaders.EXCEPTION_MESSAGE))
                .contains("space webhook rejected: HTTP 403");
        assertThat(chat.requestsTo("status-400-bad")).hasSize(1);
        for (ConsumerRecord<String, byte[]> letter : List.of(badLetter, goneLetter, forbiddenLetter)) {
            letter.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .doesNotContain("test-key-", "test-token-"));
        }
    }

    @Test
    void aSpaceGetsAtMostOneMessageASecondAlsoAfterAnIdleGap() {
        IntegrationConfig integration = connected("ok-paced");
        send(Spaces.notification(integration, Spaces.event("user.invited")));
        await().until(() -> chat.requestsTo("ok-paced").size() == 1);
        // the space's lane has nothing queued now: the next ones must still keep the pace
        send(Spaces.notification(integration, Spaces.event("user.invited")));
        send(Spaces.notification(integration, Spaces.event("user.invited")));

        await().atMost(Duration.ofSeconds(20)).until(() -> chat.requestsTo("ok-paced").size() == 3);
        List<ChatStandIn.Request> requests = chat.requestsTo("ok-paced");
        for (int i = 1; i < requests.size(); i++) {
            // one permit a second; a little slack for the stand-in's own clock reading
            assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at())).as("gap before #%d", i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    /** A Google Chat integration with one space on the stand-in, once the sender's configuration has it. */
    private IntegrationConfig connected(String space) {
        IntegrationConfig integration = Spaces.integration("ws-gchat", "int-" + UUID.randomUUID(),
                chat.webhookUrl(space));
        producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                new ConfigKey(ConfigKey.INTEGRATION, integration.workspaceId(), integration.id()).toString(),
                ConfigCodec.encode(integration)));
        producer.flush();
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());
        return integration;
    }

    private static void send(Notification notification) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, notification.getDestination().getDestinationId(),
                    serializer.serialize(TOPIC, notification))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersTo(IntegrationConfig integration) {
        String key = integration.destinationId(integration.channels().getFirst().id());
        return deadLetters.stream().filter(r -> key.equals(r.key())).toList();
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(IntegrationConfig integration) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !deadLettersTo(integration).isEmpty());
        return deadLettersTo(integration).getFirst();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
