package com.messagingconnectors.config.model;

/**
 * A secret as stored on connectors.config: AES-GCM ciphertext (base64, tag included) with its nonce and the id of the
 * key that sealed it, so keys can be rotated. {@code toString} never shows the ciphertext.
 */
public record EncryptedSecret(String keyId, String nonce, String ciphertext) {
    @Override
    public String toString() {
        return "EncryptedSecret[keyId=" + keyId + "]";
    }
}
