package com.messagingconnectors.teams;

import com.messagingconnectors.config.microsoft.MicrosoftTokenEndpoint;
import com.messagingconnectors.config.microsoft.TeamsScopes;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.config.microsoft.TokenEndpointUnreachableException;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graph access tokens for integrations, redeemed from their stored refresh tokens at the Microsoft identity platform's
 * token endpoint and kept in memory until shortly before they expire. Keyed by integration and a fingerprint of the
 * refresh token, so a reconnect (new refresh token) never reuses the old access token. The HTTP exchange is
 * config-core's {@link MicrosoftTokenEndpoint} (shared with integration-service); this class adds the cache and what
 * a refusal means for a delivery.
 */
public class AccessTokens {
    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
    /** renew a little early so a token does not expire between the check and Graph's answer */
    private static final Duration EARLY = Duration.ofMinutes(2);

    /** Either a token, or why there is none as a delivery outcome. */
    public record Result(String accessToken, DeliveryOutcome failure) {
    }

    private record Cached(String accessToken, Instant expiresAt) {
    }

    private final MicrosoftTokenEndpoint tokenEndpoint;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccessTokens(TeamsProperties properties, HttpClient http, Clock clock) {
        this.tokenEndpoint = new MicrosoftTokenEndpoint(http, properties.authorityBaseUrl(), properties.tenant(),
                properties.clientId(), properties.clientSecret(), properties.requestTimeout());
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
        TokenAnswer answer;
        try {
            answer = tokenEndpoint.refresh(tenantId, refreshToken, TeamsScopes.DELIVERY);
        } catch (TokenEndpointUnreachableException e) {
            return new Result(null, new DeliveryOutcome.Retryable(e.timedOut() ? FailureReason.timeout
                    : FailureReason.connection, e.getMessage(), null, 0));
        }
        if (answer.ok()) {
            cache.put(key, new Cached(answer.accessToken(), clock.instant().plusSeconds(answer.expiresInSeconds())));
            log.info("teams access token renewed integration={} expiresIn={}s", integrationId,
                    answer.expiresInSeconds());
            return new Result(answer.accessToken(), null);
        }
        return new Result(null, refusal(integrationId, answer));
    }

    /** What the token endpoint's refusal means for the delivery. */
    private DeliveryOutcome refusal(String integrationId, TokenAnswer answer) {
        int status = answer.status();
        String error = answer.error() == null ? "" : answer.error();
        String what = "Microsoft token endpoint answered HTTP " + status
                + (answer.error() == null ? "" : " " + answer.describeError());
        log.warn("teams token refused integration={} status={} error={} code={}", integrationId, status, error,
                answer.errorCode());
        if (status == 429 || status >= 500 || "temporarily_unavailable".equals(error)) {
            DeliveryOutcome classified = HttpStatusClassifier.classify(status >= 400 ? status : 503,
                    answer.retryAfter(), clock.instant());
            if (classified instanceof DeliveryOutcome.Retryable r) {
                return new DeliveryOutcome.Retryable(r.reason(), what, r.retryAfter(), status);
            }
        }
        if (answer.signInLost()) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, what + ": the Microsoft sign-in of this integration"
                    + " was revoked, expired or lost consent; reconnect Microsoft Teams in Integrations", status,
                    IntegrationEffect.UNHEALTHY);
        }
        if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, what + ": the Teams app registration is rejected;"
                    + " the operator must check connectors.teams.client-id / client-secret", status,
                    IntegrationEffect.UNHEALTHY);
        }
        return new DeliveryOutcome.Permanent(FailureReason.auth, what, status, IntegrationEffect.UNHEALTHY);
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
