package com.messagingconnectors.config.model;

import com.messagingconnectors.config.store.ConfigCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sealed headers and expiring rotations on connectors.config, and records written before them. */
class ChannelConfigSecretsTest {
    private static final EncryptedSecret NEW = new EncryptedSecret("k1", "bm9uY2U=", "bmV3");
    private static final EncryptedSecret OLD = new EncryptedSecret("k1", "bm9uY2U=", "b2xk");
    private static final Instant EXPIRES = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void thePreviousSecretSignsUntilItExpires() {
        WebhookEndpointConfig rotating = endpoint(Map.of()).withSigningSecrets(List.of(NEW, OLD), EXPIRES);
        assertThat(rotating.activeSigningSecrets(EXPIRES.minusSeconds(1))).containsExactly(NEW, OLD);
        assertThat(rotating.activeSigningSecrets(EXPIRES)).containsExactly(NEW);
        // a rotation recorded before rotations expired signs with both until the next rotation
        assertThat(rotating.withSigningSecrets(List.of(NEW, OLD), null).activeSigningSecrets(EXPIRES))
                .containsExactly(NEW, OLD);
    }

    @Test
    void sealedHeadersAndExpiryRoundTripAndOldRecordsStillRead() throws Exception {
        WebhookEndpointConfig channel = endpoint(Map.of()).withSigningSecrets(List.of(NEW, OLD), EXPIRES)
                .withSealedHeaders(Map.of("Authorization", NEW));
        IntegrationConfig integration = integration(channel);
        String json = new String(ConfigCodec.encode(integration), StandardCharsets.UTF_8);
        assertThat(json).contains("\"headers\":{}").contains("\"sealedHeaders\":{\"Authorization\"")
                .contains("\"previousSigningSecretsExpireAt\":\"2026-12-06T08:00:00Z\"");
        assertThat(ConfigCodec.decode(json.getBytes(StandardCharsets.UTF_8), IntegrationConfig.class))
                .isEqualTo(integration);

        // as written before headers were sealed: plain values, no expiry; still read, names listed
        String old = new String(ConfigCodec.encode(integration(endpoint(Map.of("X-Team", "sre")))),
                StandardCharsets.UTF_8).replace(",\"sealedHeaders\":{}", "");
        assertThat(old).doesNotContain("sealedHeaders").doesNotContain("previousSigningSecretsExpireAt");
        WebhookEndpointConfig read = (WebhookEndpointConfig) ConfigCodec.decode(old.getBytes(StandardCharsets.UTF_8),
                IntegrationConfig.class).channels().getFirst();
        assertThat(read.headers()).containsEntry("X-Team", "sre");
        assertThat(read.sealedHeaders()).isEmpty();
        assertThat(read.headerNames()).containsExactly("X-Team");
        assertThat(read.activeSigningSecrets(EXPIRES)).containsExactly(NEW);
        // a record logged by accident does not show header values
        assertThat(read.toString()).contains("X-Team").doesNotContain("sre");
    }

    private static WebhookEndpointConfig endpoint(Map<String, String> plainHeaders) {
        return new WebhookEndpointConfig("ep1", "ep1", "https://hooks.example.com/1", null, null, plainHeaders,
                List.of(NEW), true, null, null);
    }

    private static IntegrationConfig integration(ChannelConfig channel) {
        return new IntegrationConfig("int_1", "ws_1", IntegrationKind.webhook, "hooks", true, Map.of(), "ep1",
                List.of(channel), List.of(), Map.of(), Map.of(), 3, Instant.EPOCH, Instant.EPOCH);
    }
}
