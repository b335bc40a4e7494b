package com.messagingconnectors.webhook;

import com.messagingconnectors.channelcontract.ChannelContract;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The webhook channel passes the channel contract; the endpoint's path and signing secret are its secrets. */
class WebhookChannelContractTest extends ChannelContract {
    private static final SecretBox SECRETS = SecretBox.fromConfig("test:"
            + Base64.getEncoder().encodeToString(new byte[32]), null);
    private static final String SIGNING_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "contract-signing-secret-1234".getBytes());
    private static final String SECRET_PATH = "/hooks/secret-path-token-8c1f";
    private final List<GuardedHttpClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (GuardedHttpClient client : clients) {
            client.close();
        }
    }

    @Override
    protected NotificationChannel channel(URI platform, Duration timeout) {
        // local mode: the stand-in endpoint is on loopback
        GuardedHttpClient http = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                new GuardedHttpClient.Settings(timeout, timeout, 10, "contract-test"));
        clients.add(http);
        return new WebhookChannel(http, SECRETS, Clock.systemUTC());
    }

    @Override
    protected DeliveryRequest request(URI platform) {
        String id = "int-contract";
        ChannelConfig endpoint = new WebhookEndpointConfig("e0", "endpoint", platform + SECRET_PATH, null,
                List.of(SECRETS.seal(SIGNING_SECRET, SecretPurposes.signing("ws-contract", id, "e0"))), true);
        IntegrationConfig integration = new IntegrationConfig(id, "ws-contract", IntegrationKind.webhook, "hooks",
                true, Map.of(), "e0", List.of(endpoint), List.of(), Map.of(), Map.of(), 1, Instant.now(),
                Instant.now());
        return new DeliveryRequest(DeliveryFixture.notification(integration, "e0"), integration, endpoint, 1, false);
    }

    @Override
    protected List<String> secrets() {
        return List.of(SIGNING_SECRET, SECRET_PATH);
    }
}
