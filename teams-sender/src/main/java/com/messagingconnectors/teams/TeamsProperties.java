package com.messagingconnectors.teams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * teams-sender settings (prefix {@code connectors.teams}; env vars CONNECTORS_TEAMS_CLIENT_ID, …_CLIENT_SECRET,
 * …_AUTHORITY_BASE_URL, …_GRAPH_BASE_URL, …_TENANT). The same Entra ID app as integration-service's connect flow.
 *
 * @param authorityBaseUrl Microsoft identity platform, {@code https://login.microsoftonline.com} (the sandbox locally)
 * @param graphBaseUrl     Microsoft Graph, {@code https://graph.microsoft.com} (the sandbox locally)
 * @param tenant           used when an integration does not name its tenant ({@code organizations})
 * @param messagesPerSecond per-channel pace (Graph throttles channel messages at a few per second)
 */
@ConfigurationProperties("connectors.teams")
public record TeamsProperties(
        @DefaultValue("") String clientId,
        @DefaultValue("") String clientSecret,
        @DefaultValue("https://login.microsoftonline.com") String authorityBaseUrl,
        @DefaultValue("https://graph.microsoft.com") String graphBaseUrl,
        @DefaultValue("organizations") String tenant,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("4") double messagesPerSecond) {

    public String graph(String path) {
        return strip(graphBaseUrl) + path;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
