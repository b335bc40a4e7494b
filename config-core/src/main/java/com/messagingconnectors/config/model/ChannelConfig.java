package com.messagingconnectors.config.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A destination inside an integration: a Slack channel, a Teams channel, or a webhook endpoint. Fields that only one
 * kind uses are null for the others.
 *
 * @param id            stable id inside the integration (Slack/Teams channel id, or a generated endpoint id)
 * @param name          what people call it, e.g. "#analytics-team"
 * @param teamId        Teams only: the team the channel belongs to
 * @param url           webhook only: the endpoint URL
 * @param description   webhook only
 * @param types         webhook only: the notification types this endpoint accepts (patterns; empty = all)
 * @param headers       webhook only, legacy: custom headers in plain text as records written before headers were
 *                      sealed have them; still sent, sealed on the next write or by the re-seal job, never written
 * @param signingSecrets webhook only: the signing secrets (encrypted), newest first; more than one while rotating
 * @param enabled       false when the endpoint was disabled (by an admin, or after failing for too long)
 * @param sealedHeaders webhook only: custom headers sent with each delivery, values sealed (they often carry
 *                      credentials) with {@code SecretPurposes.header}
 * @param previousSigningSecretsExpireAt webhook only: when the signing secrets after the first stop signing (set by a
 *                      rotation); null on records written before rotations expired: they sign until the next rotation
 */
public record ChannelConfig(
        String id,
        String name,
        String teamId,
        String url,
        String description,
        List<String> types,
        Map<String, String> headers,
        List<EncryptedSecret> signingSecrets,
        boolean enabled,
        Map<String, EncryptedSecret> sealedHeaders,
        Instant previousSigningSecretsExpireAt) {

    public ChannelConfig {
        types = types == null ? List.of() : List.copyOf(types);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        signingSecrets = signingSecrets == null ? List.of() : List.copyOf(signingSecrets);
        sealedHeaders = sealedHeaders == null ? Map.of() : Map.copyOf(sealedHeaders);
    }

    /** A channel without sealed headers or a rotation in progress (chat channels, tests, legacy callers). */
    public ChannelConfig(String id, String name, String teamId, String url, String description, List<String> types,
                         Map<String, String> headers, List<EncryptedSecret> signingSecrets, boolean enabled) {
        this(id, name, teamId, url, description, types, headers, signingSecrets, enabled, null, null);
    }

    public static ChannelConfig chat(String id, String name) {
        return new ChannelConfig(id, name, null, null, null, null, null, null, true);
    }

    /** The signing secrets that sign at {@code now}: the newest always, the previous ones until they expire. */
    public List<EncryptedSecret> activeSigningSecrets(Instant now) {
        if (signingSecrets.size() <= 1 || previousSigningSecretsExpireAt == null
                || now.isBefore(previousSigningSecretsExpireAt)) {
            return signingSecrets;
        }
        return List.of(signingSecrets.getFirst());
    }

    public ChannelConfig withEnabled(boolean enabled) {
        return new ChannelConfig(id, name, teamId, url, description, types, headers, signingSecrets, enabled,
                sealedHeaders, previousSigningSecretsExpireAt);
    }

    public ChannelConfig withSigningSecrets(List<EncryptedSecret> signingSecrets, Instant previousExpireAt) {
        return new ChannelConfig(id, name, teamId, url, description, types, headers, signingSecrets, enabled,
                sealedHeaders, previousExpireAt);
    }

    /** Custom headers all sealed: {@code sealedHeaders} replaces both the sealed and the legacy plain ones. */
    public ChannelConfig withSealedHeaders(Map<String, EncryptedSecret> sealedHeaders) {
        return new ChannelConfig(id, name, teamId, url, description, types, null, signingSecrets, enabled,
                sealedHeaders, previousSigningSecretsExpireAt);
    }

    /** Never shows header values (legacy plain ones included): they often carry credentials. */
    @Override
    public String toString() {
        return "ChannelConfig[id=" + id + ", name=" + name + ", url=" + url + ", headers=" + headerNames()
                + ", signingSecrets=" + signingSecrets.size() + ", enabled=" + enabled + "]";
    }

    /** Every custom header name, sealed or (legacy) plain. */
    public List<String> headerNames() {
        return java.util.stream.Stream.concat(sealedHeaders.keySet().stream(), headers.keySet().stream())
                .sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }
}
