package com.messagingconnectors.integration.slack;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Slack's request signing (v0): {@code X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signingSecret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body))}, and the timestamp within 5 minutes of now (replay guard).
 */
public final class SlackSignatureVerifier {
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private final byte[] signingSecret;
    private final Clock clock;

    public SlackSignatureVerifier(String signingSecret, Clock clock) {
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Why the request is refused, or null when it is genuine and fresh. */
    public String problem(String timestampHeader, String signatureHeader, byte[] body) {
        if (timestampHeader == null || signatureHeader == null) {
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return "X-Slack-Request-Timestamp is not a number";
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > MAX_AGE.toSeconds()) {
            return "request timestamp is more than 5 minutes from now (replayed or clock skew)";
        }
        String expected = sign(timestampHeader.trim(), body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signatureHeader.trim().getBytes(StandardCharsets.UTF_8))) {
            return "signature does not match";
        }
        return null;
    }

    public String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
