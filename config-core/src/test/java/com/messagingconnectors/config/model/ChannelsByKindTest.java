package com.messagingconnectors.config.model;

import com.messagingconnectors.config.store.ConfigCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** connectors.config keeps channels as plain JSON objects; they read as the channel record of the integration's kind. */
class ChannelsByKindTest {

    /** As the wide record wrote them: every kind's fields, empty collections for the others. */
    private static final String OLD_CHANNEL = "{\"id\":\"C1\",\"name\":\"#general\",\"teamId\":\"team-1\",\"types\":[],"
            + "\"headers\":{},\"signingSecrets\":[],\"enabled\":true,\"sealedHeaders\":{}}";

    @Test
    void recordsWrittenByTheWideChannelTypeReadAsTheirKindsRecord() throws Exception {
        assertThat(read("slack").channels()).containsExactly(new SlackChannelConfig("C1", "#general", true));
        assertThat(read("teams").channels()).containsExactly(new TeamsChannelConfig("C1", "#general", "team-1", true));
        assertThat(read("webhook").channels().getFirst()).isInstanceOf(WebhookEndpointConfig.class);
    }

    @Test
    void aTypedIntegrationRoundTrips() throws Exception {
        IntegrationConfig teams = read("teams");
        assertThat(ConfigCodec.decode(ConfigCodec.encode(teams), IntegrationConfig.class)).isEqualTo(teams);
    }

    private static IntegrationConfig read(String kind) throws Exception {
        String json = "{\"id\":\"int_1\",\"workspaceId\":\"ws_1\",\"kind\":\"" + kind + "\",\"name\":\"x\","
                + "\"enabled\":true,\"channels\":[" + OLD_CHANNEL + "],\"version\":1}";
        return ConfigCodec.decode(json.getBytes(StandardCharsets.UTF_8), IntegrationConfig.class);
    }
}
