package com.messagingconnectors.integration.googlechat;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.IntegrationInput;
import org.springframework.stereotype.Service;

import java.util.List;

/**
 * Connecting Google Chat: a space is its incoming-webhook URL (Apps &amp; integrations → Webhooks in the space), so
 * there is no sign-in and no Google API call; the URL is a secret, sealed by the kind's descriptor.
 */
@Service
public class GoogleChatConnector {
    /** The channel id of the space an integration is created with. */
    public static final String SPACE_CHANNEL = "space-1";

    private final IntegrationService integrations;

    GoogleChatConnector(IntegrationService integrations) {
        this.integrations = integrations;
    }

    /** A new Google Chat integration posting to the space behind {@code webhookUrl}; its default channel. */
    public IntegrationService.Saved addSpace(String workspaceId, String name, String webhookUrl) {
        return integrations.create(workspaceId, new IntegrationInput(IntegrationKind.googlechat.name(), name, true,
                null, SPACE_CHANNEL, List.of(new ChannelInput(SPACE_CHANNEL, null, null, webhookUrl, null, null, null,
                null)), List.of()));
    }
}
