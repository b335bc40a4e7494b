package com.messagingconnectors.webhook.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, the scheme Svix uses): the receiver recomputes
 * {@code base64(HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + body))} and compares it with one of
 * the space-separated {@code v1,<signature>} entries of the {@code webhook-signature} header.
 *
 * <p>Pure functions, no state: the sender signs every attempt with the current time (the id stays the notification
 * id, so retries and replays dedupe), once per active secret so that a receiver in the middle of a secret rotation
 * accepts either.
 */
public final class WebhookSigner {
    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    /** Secrets are {@code whsec_} + base64 of the key bytes. */
    public static final String SECRET_PREFIX = "whsec_";
    /** Key length of secrets we generate: 24 random bytes, as Svix does. */
    private static final int NEW_SECRET_BYTES = 24;
    private static final String HMAC = "HmacSHA256";
    /** Keyed Macs by secret (see hmac); emptied when it reaches its bound. Never logged. */
    private static final Map<String, Mac> KEYED_MACS = new ConcurrentHashMap<>();
    private static final int KEYED_MACS_MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /**
     * The {@code webhook-signature} header value: {@code v1,<base64>} per secret, space-separated, in the order of
     * {@code secrets}.
     *
     * @throws IllegalArgumentException when there is no secret or a secret is not {@code whsec_<base64>} (the
     *         message never contains the secret)
     */
    public static String sign(String msgId, long timestampSeconds, String body, List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is required");
        }
        byte[] signedContent = (msgId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (int i = 0; i < secrets.size(); i++) {
            header.add("v1," + Base64.getEncoder().encodeToString(hmac(secrets.get(i), i, signedContent)));
        }
        return header.toString();
    }

    /** A new random secret in the {@code whsec_<base64>} form. */
    public static String newSecret() {
        byte[] key = new byte[NEW_SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** True when {@code secret} is a usable signing secret ({@code whsec_} + non-empty base64). */
    public static boolean isValidSecret(String secret) {
        try {
            key(secret, 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The key bytes of {@code whsec_<base64>}; like the reference implementations, the prefix is optional. */
    private static byte[] key(String secret, int index) {
        if (secret == null) {
            throw new IllegalArgumentException("signing secret #" + (index + 1) + " is missing");
        }
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // never echo the secret: it would end up in logs
            throw new IllegalArgumentException("signing secret #" + (index + 1)
                    + " is not of the form whsec_<base64>", null);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("signing secret #" + (index + 1) + " is empty");
        }
        return key;
    }

    /**
     * HMAC-SHA256 with the secret's key. A keyed Mac per secret is made once and cloned for each signature: looking
     * up the provider and initialising a Mac for every delivery was ~40 % of the signing cost.
     */
    private static byte[] hmac(String secret, int index, byte[] content) {
        Mac keyed = KEYED_MACS.get(secret);
        if (keyed == null) {
            keyed = newMac(key(secret, index));
            if (KEYED_MACS.size() >= KEYED_MACS_MAX) {
                KEYED_MACS.clear();
            }
            KEYED_MACS.put(secret, keyed);
        }
        try {
            return ((Mac) keyed.clone()).doFinal(content);
        } catch (CloneNotSupportedException e) {
            return newMac(key(secret, index)).doFinal(content);
        }
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
