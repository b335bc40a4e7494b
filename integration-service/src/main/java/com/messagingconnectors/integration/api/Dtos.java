package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.model.AttributeMatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the control-plane API (documented in the README and served as OpenAPI). */
public final class Dtos {
    private Dtos() {
    }

    /** Create or replace an integration. Absent fields take their documented defaults. */
    public record IntegrationRequest(String kind, String name, Boolean enabled, Map<String, Boolean> notificationTypes,
                                     String defaultChannelId, List<ChannelRequest> channels, List<RuleRequest> rules) {
    }

    /**
     * A Slack/Teams channel ({@code id} = the platform's channel id) or a webhook endpoint ({@code url}).
     *
     * @param headers custom webhook headers, write-only: a value sets it; null or {@link #MASKED_HEADER_VALUE} (what
     *                a GET shows) keeps the stored value; a name left out removes the header
     */
    public record ChannelRequest(String id, String name, String teamId, String url, String description,
                                 List<String> types, Map<String, String> headers, Boolean enabled) {
        public static final String MASKED_HEADER_VALUE = "********";
    }

    public record RuleRequest(String id, String name, MatchRequest match, String channelId, Boolean continueMatching) {
    }

    public record MatchRequest(List<String> types, List<String> levels, List<AttributeMatch> attributes) {
    }

    public record IntegrationView(String id, String workspaceId, String kind, String name, boolean enabled,
                                  Map<String, Boolean> notificationTypes, String defaultChannelId,
                                  List<ChannelView> channels, List<RuleView> rules, StatusView status, long version,
                                  Instant createdAt, Instant updatedAt) {
    }

    /**
     * @param headers        custom header names, each value shown as {@link ChannelRequest#MASKED_HEADER_VALUE}
     *                       (values are write-only)
     * @param signingSecret  only in the answer that created or rotated it: shown once, never again
     * @param signingSecrets how many signing secrets sign now (2 during a rotation)
     * @param previousSigningSecretExpiresAt during a rotation: when the previous secret stops signing
     */
    public record ChannelView(String id, String name, String teamId, String url, String description,
                              List<String> types, Map<String, String> headers, boolean enabled, String destinationId,
                              Integer signingSecrets, String signingSecret, Instant previousSigningSecretExpiresAt) {
    }

    public record RuleView(String id, String name, MatchRequest match, String channelId, boolean continueMatching) {
    }

    public record StatusView(String state, String lastError, Instant lastErrorAt, Instant lastDeliveredAt) {
    }

    public record NotificationSettings(Map<String, Boolean> notificationTypes) {
    }

    public record RulesRequest(List<RuleRequest> rules, String defaultChannelId) {
    }

    public record PreviewView(String eventType, String level, List<PreviewDestination> destinations,
                              List<PreviewNotRouted> notRouted) {
    }

    public record PreviewDestination(String integrationId, String integrationName, String kind, String channelId,
                                     String channelName, String destinationId, String ruleId, String why) {
    }

    public record PreviewNotRouted(String integrationId, String integrationName, String ruleId, String reason,
                                   String detail) {
    }

    /** @param scopes scope ids such as {@code events:write}; none named → {@code events:write} only */
    public record ApiKeyRequest(String name, List<String> scopes) {
    }

    /** @param key only in the answer that created it */
    public record ApiKeyView(String id, String workspaceId, String name, String prefix, List<String> scopes,
                             Instant createdAt, Instant revokedAt, String key) {
    }

    /** @param signingSecret only in the answer of a rotation */
    public record SecretView(String channelId, String signingSecret, int signingSecrets,
                             Instant previousSigningSecretExpiresAt) {
    }

    /** What a re-seal did: every sealed value is now under {@code activeKeyId} unless listed in {@code failed}. */
    public record ResealView(String activeKeyId, int integrationsChecked, int integrationsRewritten,
                             List<String> failed) {
    }
}
