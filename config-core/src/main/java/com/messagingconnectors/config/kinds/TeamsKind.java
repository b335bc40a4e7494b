package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.schemas.FieldError;

import java.util.List;

/**
 * Microsoft Teams: a team's channel reached through Microsoft Graph with the admin's delegated sign-in (refresh token),
 * or a Teams Workflows URL.
 */
public final class TeamsKind implements ChannelKind {
    public static final TeamsKind DESCRIPTOR = new TeamsKind();

    /** Credential: the Microsoft refresh token of the admin who signed in (Graph mode). */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** Credential: the Teams Workflows URL (it carries a signature: a secret). */
    public static final String WORKFLOW_URL = "workflow_url";
    /** Property: how messages are sent, {@link #MODE_GRAPH} or {@link #MODE_WORKFLOW}. */
    public static final String MODE = "mode";
    public static final String MODE_GRAPH = "graph";
    public static final String MODE_WORKFLOW = "workflow";
    /** Property: the Entra ID tenant the admin signed in to. */
    public static final String TENANT_ID = "tenant_id";

    private TeamsKind() {
    }

    @Override
    public String id() {
        return "teams";
    }

    @Override
    public String displayName() {
        return "Microsoft Teams";
    }

    @Override
    public Class<TeamsChannelConfig> channelType() {
        return TeamsChannelConfig.class;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of(REFRESH_TOKEN, WORKFLOW_URL);
    }

    @Override
    public void validate(ChannelFields channel, String at, UrlCheck urls, List<FieldError> errors) {
        if (channel.teamId() == null) {
            errors.add(new FieldError(at + ".teamId", "is required for a Teams channel"));
        }
    }

    @Override
    public ChannelConfig build(String channelId, ChannelFields requested, ChannelConfig old, ChannelSealing sealing,
                               String at, List<FieldError> errors) {
        return new TeamsChannelConfig(channelId, requested.name() != null ? requested.name() : channelId,
                requested.teamId(), requested.enabled() == null || requested.enabled());
    }

    @Override
    public ChannelFields fields(ChannelConfig stored) {
        TeamsChannelConfig channel = (TeamsChannelConfig) stored;
        return new ChannelFields.Of(channel.id(), channel.name(), channel.teamId(), null, null, null, null,
                channel.enabled());
    }
}
