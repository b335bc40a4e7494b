package com.messagingconnectors.integration.teams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The Microsoft Teams connect flow's settings, prefix {@code connectors.teams} (env: CONNECTORS_TEAMS_CLIENT_ID,
 * CONNECTORS_TEAMS_CLIENT_SECRET, CONNECTORS_TEAMS_TENANT, CONNECTORS_TEAMS_AUTHORITY_BASE_URL,
 * CONNECTORS_TEAMS_GRAPH_BASE_URL, CONNECTORS_TEAMS_PUBLIC_BASE_URL). See docs/teams.md for the app registration.
 *
 * @param tenant           who may sign in: {@code organizations} (any work account), a tenant id, or {@code common}
 * @param authorityBaseUrl the Microsoft identity platform, or the sandbox's stand-in locally
 * @param graphBaseUrl     Microsoft Graph, or the sandbox's stand-in locally
 * @param publicBaseUrl    where browsers reach integration-service; the redirect URI registered with Entra ID is
 *                         {@code <publicBaseUrl>/oauth/microsoft/callback}
 */
@ConfigurationProperties("connectors.teams")
public record TeamsConnectProperties(
        @DefaultValue("") String clientId,
        @DefaultValue("") String clientSecret,
        @DefaultValue("organizations") String tenant,
        @DefaultValue("https://login.microsoftonline.com") String authorityBaseUrl,
        @DefaultValue("https://graph.microsoft.com") String graphBaseUrl,
        @DefaultValue("http://127.0.0.1:8085") String publicBaseUrl,
        @DefaultValue("10s") Duration requestTimeout) {

    public String authorizeUrl() {
        return strip(authorityBaseUrl) + "/" + tenant + "/oauth2/v2.0/authorize";
    }

    public String adminConsentUrl() {
        return strip(authorityBaseUrl) + "/" + tenant + "/adminconsent?client_id=" + clientId;
    }

    public String redirectUri() {
        return strip(publicBaseUrl) + "/oauth/microsoft/callback";
    }

    public String startUrl(String ticket) {
        return strip(publicBaseUrl) + "/oauth/microsoft/start?ticket=" + ticket;
    }

    public String graph(String path) {
        return strip(graphBaseUrl) + path;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
