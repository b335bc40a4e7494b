package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.messagingconnectors.webhook.signing.WebhookSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * webhook-sender as in production (no local mode, no allow-list) on a real broker: endpoints that resolve to loopback
 * are dead-lettered at once with the reason, and the real receiver behind them never sees a request. The receiver's
 * port is allowed (connectors.ssrf.allowed-ports), so the address check alone stands between sender and receiver;
 * another port is refused for the port. A retryable failure would wait ten minutes for its next attempt, so a dead
 * letter within seconds means the refusal was permanent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "connectors.secrets.keys=" + "t1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "connectors.delivery.schedule=0ms,10m",
        "connectors.delivery.jitter=0",
        "connectors.delivery.topic-partitions=3",
        "connectors.delivery.shutdown-timeout=2s"})
@DirtiesContext // WebhookDeliveryTest runs a sender in local mode on the same topics
class WebhookSsrfDeliveryTest {
    private static Receiver receiver;
    private static DeliveryFixture kafka;

    @Autowired
    ConfigView configView;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
        TestInfrastructure.createTopics(3, "connectors.config");
        receiver = new Receiver();
        kafka = new DeliveryFixture();
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
        registry.add("connectors.ssrf.allowed-ports", () -> Integer.toString(port(receiver.url("/"))));
    }

    @AfterAll
    static void stop() {
        receiver.close();
        kafka.close();
    }

    @Test
    void endpointsResolvingToLoopbackAreDeadLetteredWithoutARequest() {
        int port = port(receiver.url("/"));
        String byName = "http://localhost:" + port + "/ssrf/by-name";
        String byLiteral = receiver.url("/ssrf/by-literal");
        IntegrationConfig integration = kafka.integration("ws-ssrf", List.of(byName, byLiteral),
                List.of(WebhookSigner.newSecret()), Map.of());
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());

        for (String endpoint : List.of("e0", "e1")) {
            Notification notification = DeliveryFixture.notification(integration, endpoint);
            kafka.send(notification, false);
            String reason = reason(awaitDeadLetter(notification));
            assertThat(reason).as(endpoint).contains("non-public address (loopback)", "connectors.ssrf.allow");
            if (endpoint.equals("e0")) {
                assertThat(reason).contains("refusing to call localhost").doesNotContain("127.0.0.1");
            }
        }
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void aPortThatIsNotAllowedIsDeadLetteredWithoutAConnection() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        IntegrationConfig integration = kafka.integration("ws-ssrf",
                List.of("http://127.0.0.1:" + closedPort + "/ssrf/port"),
                List.of(WebhookSigner.newSecret()), Map.of());
        await().until(() -> configView.integration(integration.workspaceId(), integration.id()).isPresent());
        Notification notification = DeliveryFixture.notification(integration, "e0");

        kafka.send(notification, false);

        // a connection attempt would have been refused by the closed port: retryable, not a dead letter within seconds
        assertThat(reason(awaitDeadLetter(notification)))
                .contains("on port " + closedPort, "connectors.ssrf.allowed-ports");
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(Notification notification) {
        String key = notification.getDestination().getDestinationId();
        await().until(() -> !kafka.deadLettersWithKey(key).isEmpty());
        return kafka.deadLettersWithKey(key).getFirst();
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        return DeliveryFixture.header(deadLetter, DeliveryHeaders.EXCEPTION_MESSAGE);
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }
}
