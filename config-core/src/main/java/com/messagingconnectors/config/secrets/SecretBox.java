package com.messagingconnectors.config.secrets;

import com.messagingconnectors.config.model.EncryptedSecret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals secrets before they are written to connectors.config and opens them where they are used (AES-256-GCM, a fresh
 * 96-bit nonce per secret). Every sealed secret names its key id, so a new key can become active while old secrets
 * still open; re-sealing them with the new key is then a normal update.
 *
 * <p>Keys come from configuration as {@code keyId:base64(32 bytes)} entries, e.g. the env variable
 * {@code CONNECTORS_SECRETS_KEYS="k2:...,k1:..."}, with the first one (or {@code activeKeyId}) sealing new secrets.
 * The secret's purpose (e.g. "integration/ws_1/int_1/signing") is bound as associated data so a ciphertext cannot be
 * moved to another record.
 */
public final class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final Map<String, SecretKeySpec> keys;
    private final String activeKeyId;
    private final SecureRandom random = new SecureRandom();
    /**
     * Opened secrets by (sealed secret, purpose): senders open the same signing secret or token for every delivery,
     * and AES-GCM plus a cipher lookup each time showed up as ~15 % of a webhook delivery's CPU. A nonce is unique per
     * seal, so a rotated secret is a new entry; the map is simply emptied when it reaches {@link #OPENED_CACHE_SIZE}.
     */
    private final Map<OpenedKey, String> opened = new ConcurrentHashMap<>();
    private static final int OPENED_CACHE_SIZE = 10_000;

    private record OpenedKey(EncryptedSecret secret, String purpose) {
    }

    public SecretBox(Map<String, byte[]> keys, String activeKeyId) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no encryption key configured (connectors.secrets.keys)");
        }
        this.keys = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            if (bytes.length != 32) {
                throw new IllegalArgumentException("encryption key " + id + " must be 32 bytes (base64 of 256 bits), has "
                        + bytes.length);
            }
            this.keys.put(id, new SecretKeySpec(bytes, "AES"));
        });
        if (!this.keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active encryption key " + activeKeyId + " is not among the configured keys");
        }
        this.activeKeyId = activeKeyId;
    }

    /** Parses {@code id1:base64,id2:base64}; the first key is active unless {@code activeKeyId} names another. */
    public static SecretBox fromConfig(String keySpec, String activeKeyId) {
        if (keySpec == null || keySpec.isBlank()) {
            throw new IllegalArgumentException("no encryption key configured: set connectors.secrets.keys to keyId:base64key");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : keySpec.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("connectors.secrets.keys entries must be keyId:base64key");
            }
            keys.put(parts[0], Base64.getDecoder().decode(parts[1]));
        }
        String active = activeKeyId == null || activeKeyId.isBlank() ? keys.keySet().iterator().next() : activeKeyId;
        return new SecretBox(keys, active);
    }

    public EncryptedSecret seal(String plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new EncryptedSecret(activeKeyId, b64.encodeToString(nonce), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String open(EncryptedSecret secret, String purpose) {
        OpenedKey cacheKey = new OpenedKey(secret, purpose);
        String cached = opened.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        String plaintext = decrypt(secret, purpose);
        if (opened.size() >= OPENED_CACHE_SIZE) {
            opened.clear();
        }
        opened.put(cacheKey, plaintext);
        return plaintext;
    }

    /**
     * {@code secret} sealed with the active key: itself when it already is, else opened (with the old key, which must
     * still be configured) and sealed again, so the old key can then be removed from configuration.
     */
    public EncryptedSecret reseal(EncryptedSecret secret, String purpose) {
        return activeKeyId.equals(secret.keyId()) ? secret : seal(decrypt(secret, purpose), purpose);
    }

    private String decrypt(EncryptedSecret secret, String purpose) {
        SecretKeySpec key = keys.get(secret.keyId());
        if (key == null) {
            throw new IllegalStateException("secret was sealed with key " + secret.keyId()
                    + ", which is not configured (connectors.secrets.keys)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(secret.nonce())));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(Base64.getDecoder().decode(secret.ciphertext()));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // never include the ciphertext or key in the message
            throw new IllegalStateException("secret (key " + secret.keyId() + ") could not be decrypted for " + purpose
                    + ": wrong key or tampered record");
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }
}
