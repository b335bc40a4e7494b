package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.schemas.FieldError;

import java.util.List;
import java.util.Map;

/** Slack: channels picked after the OAuth v2 install; the bot token (rotating) is the credential. */
public final class SlackKind implements ChannelKind {
    public static final SlackKind DESCRIPTOR = new SlackKind();

    /** Credential: the bot token (xoxb-… or, with rotation, xoxe.xoxb-…). */
    public static final String BOT_TOKEN = "bot_token";
    /** Credential: the refresh token when the app has token rotation on. */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** Property: when the rotating bot token expires (ISO instant). */
    public static final String TOKEN_EXPIRES_AT = "token_expires_at";
    /** Property: {@link #REVOKED} after Slack told us the app was uninstalled or its tokens revoked. */
    public static final String CONNECTION = "slack_connection";
    public static final String REVOKED = "revoked";
    /** Property: the Slack workspace (team) id and name the app is installed in. */
    public static final String TEAM_ID = "slack_team_id";
    public static final String TEAM_NAME = "slack_team_name";
    /** Property: the bot's user id, to tell our own uninstall from another app's. */
    public static final String BOT_USER_ID = "bot_user_id";
    /** Property: the granted OAuth scopes, comma separated. */
    public static final String SCOPES = "scopes";
    /**
     * Property: how an {@code alert.resolved} shows on the alert's message, {@link #RESOLVED_UPDATE} (default: the
     * message is edited in place) or {@link #RESOLVED_THREAD} (a reply in its thread). Set by integration-service (the
     * API's and the console's {@code resolvedAlerts}), read by slack-sender. The same key followed by
     * {@code .<channelId>} sets it for one channel.
     */
    public static final String RESOLVED_ALERTS = "slack_resolved_alerts";
    public static final String RESOLVED_UPDATE = "update";
    public static final String RESOLVED_THREAD = "thread";
    /** Every value {@link #RESOLVED_ALERTS} takes. */
    public static final List<String> RESOLVED_MODES = List.of(RESOLVED_UPDATE, RESOLVED_THREAD);

    private SlackKind() {
    }

    /**
     * How a resolved alert shows in a channel: {@code slack_resolved_alerts.<channelId>}, else
     * {@code slack_resolved_alerts}, else {@link #RESOLVED_UPDATE}.
     *
     * @param channelId null for the integration's own setting
     */
    public static String resolvedAlerts(Map<String, String> properties, String channelId) {
        String mode = channelId == null ? null : properties.get(RESOLVED_ALERTS + "." + channelId);
        if (mode == null) {
            mode = properties.get(RESOLVED_ALERTS);
        }
        return RESOLVED_THREAD.equals(mode) ? RESOLVED_THREAD : RESOLVED_UPDATE;
    }

    @Override
    public String id() {
        return "slack";
    }

    @Override
    public String displayName() {
        return "Slack";
    }

    @Override
    public Class<SlackChannelConfig> channelType() {
        return SlackChannelConfig.class;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of(BOT_TOKEN, REFRESH_TOKEN);
    }

    @Override
    public void validate(ChannelFields channel, String at, UrlCheck urls, List<FieldError> errors) {
        // the id (Slack's channel id) is all a Slack channel needs; checked for every kind
    }

    @Override
    public ChannelConfig build(String channelId, ChannelFields requested, ChannelConfig old, ChannelSealing sealing,
                               String at, List<FieldError> errors) {
        return new SlackChannelConfig(channelId, requested.name() != null ? requested.name() : channelId,
                requested.enabled() == null || requested.enabled());
    }

    @Override
    public ChannelFields fields(ChannelConfig stored) {
        return ChannelFields.Of.chat(stored.id(), stored.name(), stored.enabled());
    }
}
