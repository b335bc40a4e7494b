package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.EncryptedSecret;

/** What a descriptor needs to build a channel that holds secrets: the integration it belongs to, and the seal. */
public interface ChannelSealing {
    String workspaceId();

    String integrationId();

    EncryptedSecret seal(String plaintext, String purpose);

    /** A secret the API shows once, in the answer to the change that created it (a webhook signing secret). */
    void showOnce(String channelId, String secret);
}
