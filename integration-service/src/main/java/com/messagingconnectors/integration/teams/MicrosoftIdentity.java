package com.messagingconnectors.integration.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plain HTTP to the Microsoft identity platform's v2.0 token endpoint (code exchange with PKCE, refresh) and to
 * Graph (the pickers). See docs/decisions/0009-microsoft-identity-client.md for why not MSAL4J.
 */
@Component
@EnableConfigurationProperties(TeamsConnectProperties.class)
public class MicrosoftIdentity {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

    /** A token endpoint answer: tokens, or the error Microsoft gave ({@code error}, AADSTS code). */
    public record Tokens(int status, String accessToken, String refreshToken, String idToken, String scope,
                         String error, String errorCode) {
        public boolean ok() {
            return status == 200 && accessToken != null;
        }

        /** e.g. "invalid_grant (AADSTS70000)"; never includes the description's trace ids. */
        public String describeError() {
            return (error == null ? "HTTP " + status : error) + (errorCode.isEmpty() ? "" : " (" + errorCode + ")");
        }
    }

    /** The identity platform or Graph could not be reached, or answered 5xx. */
    public static class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private final TeamsConnectProperties properties;
    private final HttpClient http;

    public MicrosoftIdentity(TeamsConnectProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public TeamsConnectProperties properties() {
        return properties;
    }

    public Tokens redeemCode(String code, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", properties.clientId());
        form.put("client_secret", properties.clientSecret());
        form.put("code", code);
        form.put("redirect_uri", properties.redirectUri());
        form.put("code_verifier", codeVerifier);
        form.put("scope", TeamsConnectProperties.SCOPES);
        return token(properties.tenant(), form);
    }

    public Tokens refresh(String tenantId, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", properties.clientId());
        form.put("client_secret", properties.clientSecret());
        form.put("refresh_token", refreshToken);
        form.put("scope", TeamsConnectProperties.SCOPES);
        return token(tenantId, form);
    }

    private Tokens token(String tenantId, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(properties.tokenUrl(tenantId)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "the Microsoft token endpoint");
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 500) {
            throw new UnavailableException("the Microsoft token endpoint answered HTTP " + response.statusCode());
        }
        Matcher code = AADSTS.matcher(json.path("error_description").asText(""));
        return new Tokens(response.statusCode(), text(json, "access_token"), text(json, "refresh_token"),
                text(json, "id_token"), text(json, "scope"), text(json, "error"), code.find() ? code.group() : "");
    }

    /** GET on Graph with a delegated access token; the status and the JSON body. */
    public record GraphAnswer(int status, JsonNode body) {
    }

    public GraphAnswer graphGet(String path, String accessToken) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(properties.graph(path)))
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET(),
                "Microsoft Graph");
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new UnavailableException("Microsoft Graph answered HTTP " + response.statusCode() + "; try again");
        }
        return new GraphAnswer(response.statusCode(), parse(response.body()));
    }

    /** The claims of an ID token (the client's own token, straight from the token endpoint over TLS). */
    public static JsonNode idTokenClaims(String idToken) {
        if (idToken == null) {
            return JSON.createObjectNode();
        }
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return JSON.createObjectNode();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String who) {
        try {
            return http.send(request.timeout(properties.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException(who + " could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
