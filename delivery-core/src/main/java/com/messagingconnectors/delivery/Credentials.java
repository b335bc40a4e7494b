package com.messagingconnectors.delivery;

import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;

/**
 * Opens an integration's sealed credentials (bot tokens, refresh tokens, Workflows URLs) for one attempt. The opened
 * value lives only in the attempt; it is never logged nor put into an outcome's detail.
 */
public final class Credentials {
    private final SecretBox secrets;

    public Credentials(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** The credential {@code name} of {@code integration}, opened; null when the integration has none. */
    public String open(IntegrationConfig integration, String name) {
        EncryptedSecret sealed = integration.credentials().get(name);
        return sealed == null ? null
                : secrets.open(sealed, SecretPurposes.credential(integration.workspaceId(), integration.id(), name));
    }

    /** A value sealed on a channel rather than the integration (a Google Chat space's webhook URL), opened. */
    public String open(EncryptedSecret sealed, String purpose) {
        return sealed == null ? null : secrets.open(sealed, purpose);
    }
}
