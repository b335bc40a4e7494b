package com.messagingconnectors.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Graph access tokens for integrations, redeemed from their stored refresh tokens at the Microsoft identity platform's
 * token endpoint and kept in memory until shortly before they expire. Keyed by integration and a fingerprint of the
 * refresh token, so a reconnect (new refresh token) never reuses the old access token.
 */
public class AccessTokens {
    public static final String SCOPES = "offline_access ChannelMessage.Send Team.ReadBasic.All Channel.ReadBasic.All";
    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** renew a little early so a token does not expire between the check and Graph's answer */
    private static final Duration EARLY = Duration.ofMinutes(2);

    /** Either a token, or why there is none as a delivery outcome. */
    public record Result(String accessToken, DeliveryOutcome failure) {
    }

    private record Cached(String accessToken, Instant expiresAt) {
    }

    private final TeamsProperties properties;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccessTokens(TeamsProperties properties, HttpClient http, Clock clock) {
        this.properties = properties;
        this.http = http;
        this.clock = clock;
    }

    /** A valid access token: from the cache, or redeemed now (also when {@code forceRefresh}, e.g. after a 401). */
    public Result get(String integrationId, String tenantId, String refreshToken, boolean forceRefresh) {
        String key = integrationId + ":" + fingerprint(refreshToken);
        Cached cached = cache.get(key);
        if (!forceRefresh && cached != null && cached.expiresAt().minus(EARLY).isAfter(clock.instant())) {
            return new Result(cached.accessToken(), null);
        }
        cache.remove(key);
        return redeem(integrationId, tenantId, refreshToken, key);
    }

    private Result redeem(String integrationId, String tenantId, String refreshToken, String key) {
        String form = Map.of("grant_type", "refresh_token", "client_id", properties.clientId(),
                        "client_secret", properties.clientSecret(), "refresh_token", refreshToken, "scope", SCOPES)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.tokenUrl(tenantId)))
                .timeout(properties.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new Result(null, new DeliveryOutcome.Retryable(FailureReason.timeout,
                    "Microsoft token endpoint did not answer in time", null, 0));
        } catch (IOException e) {
            return new Result(null, new DeliveryOutcome.Retryable(FailureReason.connection,
                    "Microsoft token endpoint unreachable: " + e.getClass().getSimpleName(), null, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, new DeliveryOutcome.Retryable(FailureReason.connection, "interrupted", null, 0));
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200 && body.hasNonNull("access_token")) {
            long expiresIn = body.path("expires_in").asLong(3600);
            cache.put(key, new Cached(body.get("access_token").asText(), clock.instant().plusSeconds(expiresIn)));
            log.info("teams access token renewed integration={} expiresIn={}s", integrationId, expiresIn);
            return new Result(body.get("access_token").asText(), null);
        }
        return new Result(null, refusal(integrationId, response, body));
    }

    /** What the token endpoint's refusal means for the delivery. */
    private DeliveryOutcome refusal(String integrationId, HttpResponse<String> response, JsonNode body) {
        int status = response.statusCode();
        String error = body.path("error").asText("");
        String aadsts = aadstsCode(body.path("error_description").asText(""));
        String what = "Microsoft token endpoint answered HTTP " + status + (error.isEmpty() ? "" : " " + error)
                + (aadsts.isEmpty() ? "" : " (" + aadsts + ")");
        log.warn("teams token refused integration={} status={} error={} code={}", integrationId, status, error, aadsts);
        if (status == 429 || status >= 500 || "temporarily_unavailable".equals(error)) {
            DeliveryOutcome classified = HttpStatusClassifier.classify(status >= 400 ? status : 503,
                    response.headers().firstValue("Retry-After").orElse(null), clock.instant());
            if (classified instanceof DeliveryOutcome.Retryable r) {
                return new DeliveryOutcome.Retryable(r.reason(), what, r.retryAfter(), status);
            }
        }
        if ("invalid_grant".equals(error) || "interaction_required".equals(error) || "consent_required".equals(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, what + ": the Microsoft sign-in of this integration"
                    + " was revoked, expired or lost consent; reconnect Microsoft Teams in Integrations", status,
                    IntegrationEffect.DISCONNECTED);
        }
        if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, what + ": the Teams app registration is rejected;"
                    + " the operator must check connectors.teams.client-id / client-secret", status,
                    IntegrationEffect.UNHEALTHY);
        }
        return new DeliveryOutcome.Permanent(FailureReason.auth, what, status, IntegrationEffect.DISCONNECTED);
    }

    /** "AADSTS70008: The refresh token has expired…" → "AADSTS70008": the code says what happened, without trace ids. */
    static String aadstsCode(String description) {
        var m = java.util.regex.Pattern.compile("AADSTS\\d+").matcher(description);
        return m.find() ? m.group() : "";
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
