package com.messagingconnectors.config.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A webhook endpoint.
 *
 * @param id            a generated endpoint id
 * @param url           the endpoint URL (customer input: every call goes through the SSRF-guarded client)
 * @param types         the notification types this endpoint accepts (patterns; empty = all)
 * @param headers       legacy: custom headers in plain text as records written before headers were sealed have them;
 *                      still sent, sealed on the next write or by the re-seal job, never written
 * @param signingSecrets the signing secrets (encrypted), newest first; more than one while rotating
 * @param sealedHeaders custom headers sent with each delivery, values sealed (they often carry credentials) with
 *                      {@code SecretPurposes.header}
 * @param previousSigningSecretsExpireAt when the signing secrets after the first stop signing (set by a rotation);
 *                      null on records written before rotations expired: they sign until the next rotation
 */
public record WebhookEndpointConfig(
        String id,
        String name,
        String url,
        String description,
        List<String> types,
        Map<String, String> headers,
        List<EncryptedSecret> signingSecrets,
        boolean enabled,
        Map<String, EncryptedSecret> sealedHeaders,
        Instant previousSigningSecretsExpireAt) implements ChannelConfig {

    public WebhookEndpointConfig {
        types = types == null ? List.of() : List.copyOf(types);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        signingSecrets = signingSecrets == null ? List.of() : List.copyOf(signingSecrets);
        sealedHeaders = sealedHeaders == null ? Map.of() : Map.copyOf(sealedHeaders);
    }

    /** An endpoint without custom headers or a rotation in progress. */
    public WebhookEndpointConfig(String id, String name, String url, List<String> types,
                                 List<EncryptedSecret> signingSecrets, boolean enabled) {
        this(id, name, url, null, types, null, signingSecrets, enabled, null, null);
    }

    /** The signing secrets that sign at {@code now}: the newest always, the previous ones until they expire. */
    public List<EncryptedSecret> activeSigningSecrets(Instant now) {
        if (signingSecrets.size() <= 1 || previousSigningSecretsExpireAt == null
                || now.isBefore(previousSigningSecretsExpireAt)) {
            return signingSecrets;
        }
        return List.of(signingSecrets.getFirst());
    }

    @Override
    public WebhookEndpointConfig withEnabled(boolean enabled) {
        return new WebhookEndpointConfig(id, name, url, description, types, headers, signingSecrets, enabled,
                sealedHeaders, previousSigningSecretsExpireAt);
    }

    public WebhookEndpointConfig withSigningSecrets(List<EncryptedSecret> signingSecrets, Instant previousExpireAt) {
        return new WebhookEndpointConfig(id, name, url, description, types, headers, signingSecrets, enabled,
                sealedHeaders, previousExpireAt);
    }

    /** Custom headers all sealed: {@code sealedHeaders} replaces both the sealed and the legacy plain ones. */
    public WebhookEndpointConfig withSealedHeaders(Map<String, EncryptedSecret> sealedHeaders) {
        return new WebhookEndpointConfig(id, name, url, description, types, null, signingSecrets, enabled,
                sealedHeaders, previousSigningSecretsExpireAt);
    }

    /** Never shows header values (legacy plain ones included): they often carry credentials. */
    @Override
    public String toString() {
        return "WebhookEndpointConfig[id=" + id + ", name=" + name + ", url=" + url + ", headers=" + headerNames()
                + ", signingSecrets=" + signingSecrets.size() + ", enabled=" + enabled + "]";
    }

    /** Every custom header name, sealed or (legacy) plain. */
    public List<String> headerNames() {
        return Stream.concat(sealedHeaders.keySet().stream(), headers.keySet().stream())
                .sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }
}
