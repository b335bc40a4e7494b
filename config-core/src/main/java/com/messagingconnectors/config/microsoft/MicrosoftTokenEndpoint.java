package com.messagingconnectors.config.microsoft;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Microsoft identity platform's v2.0 token endpoint ({@code <authority>/<tenant>/oauth2/v2.0/token}) for a
 * confidential client: redeem an authorization code (with its PKCE verifier), or a refresh token. Used by
 * integration-service (connect flow, pickers) and teams-sender (delivery). Plain JDK HTTP, see
 * docs/decisions/0009-microsoft-identity-client.md for why not MSAL4J. Never logs or returns a secret in a message.
 */
public class MicrosoftTokenEndpoint {
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

    private final HttpClient http;
    private final String authorityBaseUrl;
    private final String defaultTenant;
    private final String clientId;
    private final String clientSecret;
    private final Duration requestTimeout;

    /**
     * @param authorityBaseUrl {@code https://login.microsoftonline.com}, or a stand-in
     * @param defaultTenant    used when a call names no tenant ({@code organizations}, {@code common} or a tenant id)
     */
    public MicrosoftTokenEndpoint(HttpClient http, String authorityBaseUrl, String defaultTenant, String clientId,
                                  String clientSecret, Duration requestTimeout) {
        this.http = http;
        this.authorityBaseUrl = authorityBaseUrl.endsWith("/")
                ? authorityBaseUrl.substring(0, authorityBaseUrl.length() - 1) : authorityBaseUrl;
        this.defaultTenant = defaultTenant;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.requestTimeout = requestTimeout;
    }

    public String tokenUrl(String tenantId) {
        return authorityBaseUrl + "/" + (tenantId == null || tenantId.isBlank() ? defaultTenant : tenantId)
                + "/oauth2/v2.0/token";
    }

    /** The authorization code flow's second step, at the tenant the sign-in was started for. */
    public TokenAnswer redeemCode(String code, String codeVerifier, String redirectUri, String scopes) {
        Map<String, String> form = client("authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", codeVerifier);
        form.put("scope", scopes);
        return post(null, form);
    }

    /** A fresh access token from a refresh token, at the user's own tenant (or the default when null). */
    public TokenAnswer refresh(String tenantId, String refreshToken, String scopes) {
        Map<String, String> form = client("refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("scope", scopes);
        return post(tenantId, form);
    }

    /** "AADSTS70008: The refresh token has expired…" → "AADSTS70008": the code says what happened, without trace ids. */
    public static String aadstsCode(String description) {
        Matcher m = AADSTS.matcher(description == null ? "" : description);
        return m.find() ? m.group() : "";
    }

    private Map<String, String> client(String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return form;
    }

    private TokenAnswer post(String tenantId, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl(tenantId))).timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new TokenEndpointUnreachableException("the Microsoft token endpoint did not answer in time", true);
        } catch (IOException e) {
            throw new TokenEndpointUnreachableException("the Microsoft token endpoint could not be reached ("
                    + e.getClass().getSimpleName() + ")", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnreachableException("interrupted", false);
        }
        JsonNode json = MicrosoftJson.parse(response.body());
        return new TokenAnswer(response.statusCode(), text(json, "access_token"), text(json, "refresh_token"),
                text(json, "id_token"), text(json, "scope"), json.path("expires_in").asLong(3600),
                text(json, "error"), aadstsCode(json.path("error_description").asString("")),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asString("") : null;
    }
}
