package com.messagingconnectors.config.model;

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
 * @param headers       webhook only: custom headers sent with each delivery
 * @param signingSecrets webhook only: the signing secrets (encrypted), newest first; more than one while rotating
 * @param enabled       false when the endpoint was disabled (by an admin, or after failing for too long)
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
        boolean enabled) {

    public ChannelConfig {
        types = types == null ? List.of() : List.copyOf(types);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        signingSecrets = signingSecrets == null ? List.of() : List.copyOf(signingSecrets);
    }

    public static ChannelConfig chat(String id, String name) {
        return new ChannelConfig(id, name, null, null, null, null, null, null, true);
    }
}
