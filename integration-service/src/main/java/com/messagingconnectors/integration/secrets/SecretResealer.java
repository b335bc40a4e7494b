package com.messagingconnectors.integration.secrets;

import com.messagingconnectors.config.kinds.GoogleChatKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.GoogleChatSpaceConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.ConfigStore;
import com.messagingconnectors.integration.IntegrationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encryption-key rotation: re-seals every sealed value on connectors.config (webhook signing secrets and custom
 * headers, Slack and Microsoft tokens, Workflows URLs) that an older key sealed, with the active key, and seals custom
 * headers still stored in plain text. Afterwards no record needs the old key, and it can be removed from
 * {@code connectors.secrets.keys}. Runs when an operator asks ({@code POST /admin/secrets:reseal}); running it again
 * changes nothing. Records keep their version: what the API shows does not change.
 */
@Component
public class SecretResealer {

    /** What a re-seal did: every sealed value is now under {@code activeKeyId} unless listed in {@code failed}. */
    public record ResealView(String activeKeyId, int integrationsChecked, int integrationsRewritten,
                             List<String> failed) {
    }
    private static final Logger log = LoggerFactory.getLogger(SecretResealer.class);
    private final ConfigView view;
    private final IntegrationService integrations;
    private final SecretBox secrets;

    SecretResealer(ConfigStore store, IntegrationService integrations, SecretBox secrets) {
        this.view = store.view();
        this.integrations = integrations;
        this.secrets = secrets;
    }

    public ResealView resealAll() {
        int checked = 0;
        int rewritten = 0;
        List<String> failed = new ArrayList<>();
        for (IntegrationConfig integration : view.allIntegrations()) {
            checked++;
            try {
                if (integrations.rewrite(integration.workspaceId(), integration.id(), this::resealed)) {
                    rewritten++;
                }
            } catch (IllegalStateException e) { // a key that is not configured, or a tampered record
                failed.add(integration.workspaceId() + "/" + integration.id());
                log.warn("re-seal failed workspace={} integration={}: {}", integration.workspaceId(),
                        integration.id(), e.getMessage());
            }
        }
        log.info("re-seal done activeKey={} checked={} rewritten={} failed={}", secrets.activeKeyId(), checked,
                rewritten, failed.size());
        return new ResealView(secrets.activeKeyId(), checked, rewritten, failed);
    }

    /** The same integration with every sealed value under the active key (unchanged instances where they were). */
    IntegrationConfig resealed(IntegrationConfig c) {
        Map<String, EncryptedSecret> credentials = new LinkedHashMap<>();
        c.credentials().forEach((name, sealed) -> credentials.put(name,
                secrets.reseal(sealed, SecretPurposes.credential(c.workspaceId(), c.id(), name))));
        List<ChannelConfig> channels = c.channels().stream().map(ch -> resealed(c, ch)).toList();
        return new IntegrationConfig(c.id(), c.workspaceId(), c.kind(), c.name(), c.enabled(), c.notificationTypes(),
                c.defaultChannelId(), channels, c.rules(), credentials, c.properties(), c.version(), c.createdAt(),
                c.updatedAt());
    }

    private ChannelConfig resealed(IntegrationConfig c, ChannelConfig channel) {
        return switch (channel) {
            case WebhookEndpointConfig endpoint -> resealed(c, endpoint);
            case GoogleChatSpaceConfig space -> space.webhookUrl() == null ? space
                    : new GoogleChatSpaceConfig(space.id(), space.name(), secrets.reseal(space.webhookUrl(),
                    GoogleChatKind.webhookUrlPurpose(c.workspaceId(), c.id(), space.id())), space.enabled());
            case SlackChannelConfig slack -> slack;
            case TeamsChannelConfig teams -> teams;
        };
    }

    private ChannelConfig resealed(IntegrationConfig c, WebhookEndpointConfig ch) {
        String signingPurpose = SecretPurposes.signing(c.workspaceId(), c.id(), ch.id());
        List<EncryptedSecret> signing = ch.signingSecrets().stream()
                .map(sealed -> secrets.reseal(sealed, signingPurpose)).toList();
        Map<String, EncryptedSecret> headers = new LinkedHashMap<>();
        ch.sealedHeaders().forEach((name, sealed) -> headers.put(name,
                secrets.reseal(sealed, SecretPurposes.header(c.workspaceId(), c.id(), ch.id(), name))));
        // plain headers from before they were sealed: sealed now
        ch.headers().forEach((name, plain) -> headers.putIfAbsent(name,
                secrets.seal(plain, SecretPurposes.header(c.workspaceId(), c.id(), ch.id(), name))));
        WebhookEndpointConfig next = ch.withSigningSecrets(signing, ch.previousSigningSecretsExpireAt());
        return ch.headers().isEmpty() && headers.equals(ch.sealedHeaders()) ? next : next.withSealedHeaders(headers);
    }
}
