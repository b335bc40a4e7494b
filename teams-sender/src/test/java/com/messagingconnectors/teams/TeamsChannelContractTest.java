package com.messagingconnectors.teams;

import com.messagingconnectors.channelcontract.ChannelContract;
import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The Teams channel passes the channel contract, posting to a Workflows URL (a customer URL whose path and signature
 * are secret). Graph's own answers (token renewal, error bodies) are TeamsChannelTest's.
 */
class TeamsChannelContractTest extends ChannelContract {
    private static final String SECRET_PATH = "/workflows/abc/triggers/manual/paths/invoke";
    private static final String SECRET_QUERY = "sig=contract-secret-signature-51b7";
    private final SecretBox box = new SecretBox(Map.of("k1", new byte[32]), "k1");
    private final List<GuardedHttpClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (GuardedHttpClient client : clients) {
            client.close();
        }
    }

    @Override
    protected NotificationChannel channel(URI platform, Duration timeout) {
        TeamsProperties properties = new TeamsProperties("client-1", "client-secret-1", platform + "/login",
                platform + "/graph", "organizations", timeout, timeout, 100);
        GuardedHttpClient workflows = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                TeamsChannel.workflowClientSettings(properties));
        clients.add(workflows);
        return new TeamsChannel(properties, box, workflows);
    }

    @Override
    protected DeliveryRequest request(URI platform) {
        String url = platform + SECRET_PATH + "?" + SECRET_QUERY;
        ChannelConfig channel = new TeamsChannelConfig("19:chan@thread.tacv2", "#alerts", "team-1", true);
        IntegrationConfig integration = new IntegrationConfig("int_t", "ws_1", IntegrationKind.teams, "Teams", true,
                Map.of(), channel.id(), List.of(channel), List.of(),
                Map.of(TeamsKind.WORKFLOW_URL, box.seal(url,
                        SecretPurposes.credential("ws_1", "int_t", TeamsKind.WORKFLOW_URL))),
                Map.of(TeamsKind.MODE, TeamsKind.MODE_WORKFLOW), 1, Instant.now(), Instant.now());
        return new DeliveryRequest(Events.notification(Events.samples().get("report.completed"), integration.id(),
                channel.id()), integration, channel, 1, false);
    }

    @Override
    protected List<String> secrets() {
        return List.of(SECRET_PATH, SECRET_QUERY);
    }
}
