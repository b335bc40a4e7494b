package com.messagingconnectors.integration.oauth;

import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pending connect flows (Slack, Microsoft), shared by every provider, in two steps.
 *
 * <p>A <em>link</em>: the API call that starts a connect ({@code …:connect}) gets a random one-time ticket for the
 * start URL, valid for 5 minutes and bound to who asked (their API key, and their console session if they had one).
 * Only a console session of that key may use it ({@link ConnectLinks} checks; {@link #start} takes it away).
 *
 * <p>A <em>flow</em>: opening the link creates the OAuth {@code state}, a random single-use value bound to the
 * workspace and integration, to the console session that opened it, and to the admin's browser (a cookie holding a
 * second random value that must come back with the callback), valid for 10 minutes for the round trip through the
 * provider. A forged, replayed, expired or other-browser callback is refused.
 *
 * <p>Kept in memory: a connect flow that spans a restart of integration-service has to be started again, which is
 * acceptable for a flow that lasts a minute.
 */
@Component
public class ConnectFlowStates {
    public static final String BROWSER_COOKIE = "mc_connect";
    public static final Duration LINK_VALID_FOR = Duration.ofMinutes(5);
    public static final Duration FLOW_VALID_FOR = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Who asked for a connect link.
     *
     * @param sessionId the console session the request carried (same key), or null
     */
    public record Requester(String workspaceId, String keyId, boolean admin, String sessionId) {
    }

    /**
     * A connect link not opened yet.
     *
     * @param provider "slack" | "microsoft"
     * @param extra    provider data that must survive the round trip (e.g. the PKCE code verifier)
     */
    public record Link(String provider, String workspaceId, String integrationId, Requester requester,
                       Map<String, String> extra, Instant expiresAt) {
    }

    /**
     * One flow in the provider round trip.
     *
     * @param browserNonce the value the browser's cookie must hold
     * @param sessionId    the console session that opened the link
     */
    public record Flow(String state, String provider, String workspaceId, String integrationId, String browserNonce,
                       String sessionId, Map<String, String> extra, Instant expiresAt) {
    }

    private final Map<String, Flow> byState = new ConcurrentHashMap<>();
    private final Map<String, Link> byTicket = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConnectFlowStates(Clock clock) {
        this.clock = clock;
    }

    /** A new link; returns its one-time ticket for the start URL. */
    public String begin(String provider, String workspaceId, String integrationId, Requester requester,
                        Map<String, String> extra) {
        purgeExpired();
        String ticket = random();
        byTicket.put(ticket, new Link(provider, workspaceId, integrationId, requester, Map.copyOf(extra),
                clock.instant().plus(LINK_VALID_FOR)));
        return ticket;
    }

    /** The unexpired, unused link of this provider with this ticket; it stays usable. */
    public Optional<Link> link(String provider, String ticket) {
        Link link = ticket == null ? null : byTicket.get(ticket);
        return Optional.ofNullable(link)
                .filter(l -> l.provider().equals(provider) && l.expiresAt().isAfter(clock.instant()));
    }

    /**
     * Uses up the link (whoever opens it at the same moment loses) and starts the provider round trip for the
     * console session {@code sessionId}.
     */
    public Optional<Flow> start(String ticket, Link link, String sessionId) {
        if (!byTicket.remove(ticket, link) || !link.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        Flow flow = new Flow(random(), link.provider(), link.workspaceId(), link.integrationId(), random(), sessionId,
                link.extra(), clock.instant().plus(FLOW_VALID_FOR));
        byState.put(flow.state(), flow);
        return Optional.of(flow);
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
        if (browserCookie == null || !MessageDigest.isEqual(browserCookie.getBytes(StandardCharsets.UTF_8),
                flow.browserNonce().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(flow);
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        byState.values().removeIf(f -> !f.expiresAt().isAfter(now));
        byTicket.values().removeIf(l -> !l.expiresAt().isAfter(now));
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
