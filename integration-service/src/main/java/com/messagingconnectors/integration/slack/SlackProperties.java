package com.messagingconnectors.integration.slack;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Slack app integration-service acts as ({@code connectors.slack.*}; env SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,
 * SLACK_SIGNING_SECRET, SLACK_REDIRECT_URI, SLACK_API_BASE_URL).
 *
 * @param apiBaseUrl          https://slack.com, or the sandbox/a test server: both the Web API ({@code /api/…}) and
 *                            the authorize page ({@code /oauth/v2/authorize}) live under it
 * @param scopes              bot scopes asked for, comma separated
 * @param channelCacheTtl     how long a workspace's channel list is reused
 * @param refreshBeforeExpiry rotating tokens are refreshed when they expire within this
 */
@ConfigurationProperties("connectors.slack")
public record SlackProperties(String clientId, String clientSecret, String signingSecret, String redirectUri,
                              String apiBaseUrl, String scopes, Duration channelCacheTtl,
                              Duration refreshBeforeExpiry, Duration requestTimeout) {

    public SlackProperties {
        apiBaseUrl = apiBaseUrl == null || apiBaseUrl.isBlank() ? "https://slack.com" : apiBaseUrl.replaceAll("/+$", "");
        scopes = scopes == null || scopes.isBlank() ? "chat:write,chat:write.public,channels:read,groups:read" : scopes;
        channelCacheTtl = channelCacheTtl == null ? Duration.ofSeconds(60) : channelCacheTtl;
        refreshBeforeExpiry = refreshBeforeExpiry == null ? Duration.ofMinutes(30) : refreshBeforeExpiry;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
    }

    public boolean appConfigured() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
    }

    public List<String> scopeList() {
        return Arrays.stream(scopes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
