package com.messagingconnectors.googlechat;

import com.messagingconnectors.channelcontract.ChannelContract;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The Google Chat channel passes the channel contract; the webhook URL's key and token are its secrets. */
class GoogleChatChannelContractTest extends ChannelContract {
    private static final String KEY = "AIzaSy-contract-key-6d2e";
    private static final String TOKEN = "contract-token-Qx81zK";
    private final List<GuardedHttpClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (GuardedHttpClient client : clients) {
            client.close();
        }
    }

    @Override
    protected NotificationChannel channel(URI platform, Duration timeout) {
        GoogleChatProperties properties = new GoogleChatProperties(timeout, timeout, 10, 1);
        // local mode: the stand-in is plain http on loopback
        GuardedHttpClient http = GuardedHttpClient.create(new AddressPolicy(List.of(), List.of(), true),
                GoogleChatChannel.clientSettings(properties));
        clients.add(http);
        return new GoogleChatChannel(properties, http, Spaces.SECRETS, true, Clock.systemUTC());
    }

    @Override
    protected DeliveryRequest request(URI platform) {
        IntegrationConfig integration = Spaces.integration("ws-contract", "int-contract",
                platform + "/v1/spaces/AAAAcontract/messages?key=" + KEY + "&token=" + TOKEN);
        return new DeliveryRequest(Spaces.notification(integration, Spaces.event("report.completed")), integration,
                integration.channels().getFirst(), 1, false);
    }

    @Override
    protected List<String> secrets() {
        return List.of(KEY, TOKEN);
    }

}
