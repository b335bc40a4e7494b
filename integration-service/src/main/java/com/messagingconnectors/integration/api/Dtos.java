package com.messagingconnectors.integration.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.messagingconnectors.config.kinds.ChannelFields;
import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.kinds.WebhookKind;
import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.integration.status.StatusView;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the control-plane API (documented in the README and served as OpenAPI). */
public final class Dtos {
    private Dtos() {
    }

    /**
     * Create or replace an integration. Absent fields take their documented defaults.
     *
     * @param resolvedAlerts Slack only: how an {@code alert.resolved} shows on its alert's message; absent keeps the
     *                       stored choice (a new integration: update)
     */
    public record IntegrationRequest(String kind, String name, Boolean enabled, Map<String, Boolean> notificationTypes,
                                     String defaultChannelId, List<ChannelRequest> channels, List<RuleRequest> rules,
                                     @Schema(description = RESOLVED_ALERTS, allowableValues = {SlackKind.RESOLVED_UPDATE,
                                             SlackKind.RESOLVED_THREAD}, nullable = true)
                                     String resolvedAlerts) {
        /** A request that leaves how Slack shows resolved alerts as it is. */
        public IntegrationRequest(String kind, String name, Boolean enabled, Map<String, Boolean> notificationTypes,
                                  String defaultChannelId, List<ChannelRequest> channels, List<RuleRequest> rules) {
            this(kind, name, enabled, notificationTypes, defaultChannelId, channels, rules, null);
        }
    }

    static final String RESOLVED_ALERTS = "Slack integrations only: how an alert.resolved shows on the alert's own"
            + " message. 'update' (default) edits the message in place, 'thread' replies in its thread. Absent in a"
            + " request: the stored choice is kept. Other kinds: absent; setting it is refused.";

    /**
     * A channel of any kind: a Slack/Teams channel ({@code id} = the platform's channel id), a webhook endpoint
     * ({@code url}), a Google Chat space ({@code url} = its incoming webhook, write-only). The kind's descriptor
     * (config-core, {@code config.kinds}) says which fields it takes and checks them.
     *
     * @param headers custom webhook headers, write-only: a value sets it; null or {@link #MASKED_HEADER_VALUE} (what
     *                a GET shows) keeps the stored value; a name left out removes the header
     */
    public record ChannelRequest(String id, String name, String teamId, String url, String description,
                                 List<String> types, Map<String, String> headers, Boolean enabled)
            implements ChannelFields {
        public static final String MASKED_HEADER_VALUE = WebhookKind.MASKED;

        public static ChannelRequest of(ChannelFields f) {
            return new ChannelRequest(f.id(), f.name(), f.teamId(), f.url(), f.description(), f.types(), f.headers(),
                    f.enabled());
        }
    }

    /**
     * @param grouping fold matching events into digests; absent: every event is its own message
     * @param dedupe   deliver events with the same {@code dedupKey} once per window; absent: no deduplication
     * @param mute     deliver nothing for this rule until a time; absent: not muted
     */
    public record RuleRequest(String id, String name, MatchRequest match, String channelId, Boolean continueMatching,
                              GroupingRequest grouping, DedupeRequest dedupe, MuteRequest mute) {
        /** A rule without noise control. */
        public RuleRequest(String id, String name, MatchRequest match, String channelId, Boolean continueMatching) {
            this(id, name, match, channelId, continueMatching, null, null, null);
        }
    }

    /**
     * After Alertmanager's group_by / group_wait / group_interval; durations such as {@code 30s}, {@code 5m}, {@code 1h}.
     *
     * @param by       event fields: type, level, source, attributes.&lt;name&gt;
     * @param waitTime how long the first event of a new group waits (JSON {@code wait}; default 0s: at once)
     * @param interval later events of the group are folded into one digest per interval (required)
     */
    public record GroupingRequest(List<String> by, @JsonProperty("wait") String waitTime, String interval) {
    }

    /** @param window e.g. {@code 10m}: repeats of a dedupKey within it are counted, not delivered again */
    public record DedupeRequest(String window) {
    }

    /** A snooze: nothing is delivered until {@code until}; {@code reason} is shown in status and preview. */
    public record MuteRequest(Instant until, String reason) {
    }

    /**
     * An integration's noise settings.
     *
     * @param capPerMinute at most this many messages per destination per minute; beyond it events are folded into
     *                     the next digest. Absent: no cap
     * @param mute         the whole integration delivers nothing until then; absent: not muted
     */
    public record NoiseSettings(Integer capPerMinute, MuteRequest mute) {
    }

    public record MatchRequest(List<String> types, List<String> levels, List<AttributeMatch> attributes) {
    }

    public record IntegrationView(String id, String workspaceId, String kind, String name, boolean enabled,
                                  Map<String, Boolean> notificationTypes, String defaultChannelId,
                                  List<ChannelView> channels, List<RuleView> rules, StatusView status, long version,
                                  Instant createdAt, Instant updatedAt,
                                  @Schema(description = RESOLVED_ALERTS, allowableValues = {SlackKind.RESOLVED_UPDATE,
                                          SlackKind.RESOLVED_THREAD}, nullable = true)
                                  String resolvedAlerts) {
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

    public record RuleView(String id, String name, MatchRequest match, String channelId, boolean continueMatching,
                           GroupingRequest grouping, DedupeRequest dedupe, MuteRequest mute) {
    }

    public record NotificationSettings(Map<String, Boolean> notificationTypes) {
    }

    public record RulesRequest(List<RuleRequest> rules, String defaultChannelId) {
    }

    /** @param scopes scope ids such as {@code events:write}; none named → {@code events:write} only */
    public record ApiKeyRequest(String name, List<String> scopes) {
    }

    /** @param signingSecret only in the answer of a rotation */
    public record SecretView(String channelId, String signingSecret, int signingSecrets,
                             Instant previousSigningSecretExpiresAt) {
    }
}
