package com.messagingconnectors.integration.oauth;

import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code state} of OAuth connect flows (Slack, Microsoft), shared by every provider: a random single-use value,
 * bound to the workspace and integration that started the flow and to the admin's browser (a cookie holding a second
 * random value that must come back with the callback), valid for 10 minutes. A forged, replayed, expired or
 * other-browser callback is refused.
 *
 * <p>Flow: the API call that starts a connect ({@code …:connect}) returns a one-time start URL; the admin's browser
 * opens it, gets the binding cookie and is redirected to the provider; the provider redirects back with
 * {@code state}; {@link #consume} checks state + cookie. Kept in memory: a connect flow that spans a restart of
 * integration-service has to be started again, which is acceptable for a flow that lasts a minute.
 */
@Component
public class ConnectFlowStates {
    public static final String BROWSER_COOKIE = "mc_connect";
    private static final Duration VALID_FOR = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One pending flow.
     *
     * @param provider      "slack" | "microsoft"
     * @param browserNonce  the value the browser's cookie must hold
     * @param extra         provider data that must survive the round trip (e.g. the PKCE code verifier)
     */
    public record Flow(String state, String provider, String workspaceId, String integrationId, String browserNonce,
                       Map<String, String> extra, Instant expiresAt) {
    }

    private final Map<String, Flow> byState = new ConcurrentHashMap<>();
    private final Map<String, Flow> byStartTicket = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConnectFlowStates() {
        this(Clock.systemUTC());
    }

    ConnectFlowStates(Clock clock) {
        this.clock = clock;
    }

    /** Starts a flow; returns the one-time ticket for the start URL. */
    public String begin(String provider, String workspaceId, String integrationId, Map<String, String> extra) {
        purgeExpired();
        Flow flow = new Flow(random(), provider, workspaceId, integrationId, random(), Map.copyOf(extra),
                clock.instant().plus(VALID_FOR));
        byState.put(flow.state(), flow);
        String ticket = random();
        byStartTicket.put(ticket, flow);
        return ticket;
    }

    /** The browser opened the start URL: the ticket is used up; the caller sets the cookie and redirects. */
    public Optional<Flow> start(String ticket) {
        Flow flow = ticket == null ? null : byStartTicket.remove(ticket);
        return Optional.ofNullable(flow).filter(f -> f.expiresAt().isAfter(clock.instant()));
    }

    /**
     * The provider redirected back. Returns the flow when {@code state} is known, unexpired, of this provider and the
     * browser presents the cookie that was set at start; the state can never be used again.
     */
    public Optional<Flow> consume(String provider, String state, String browserCookie) {
        Flow flow = state == null ? null : byState.remove(state);
        if (flow == null || !flow.provider().equals(provider) || !flow.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        if (browserCookie == null || !java.security.MessageDigest.isEqual(browserCookie.getBytes(),
                flow.browserNonce().getBytes())) {
            return Optional.empty();
        }
        return Optional.of(flow);
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        byState.values().removeIf(f -> !f.expiresAt().isAfter(now));
        byStartTicket.values().removeIf(f -> !f.expiresAt().isAfter(now));
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
