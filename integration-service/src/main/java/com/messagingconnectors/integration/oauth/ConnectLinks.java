package com.messagingconnectors.integration.oauth;

import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.console.ConsoleSessions;
import com.messagingconnectors.integration.console.LoginReturns;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Flow;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Link;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Requester;
import com.messagingconnectors.integration.web.HtmlPages;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.Optional;
import java.util.function.Function;

/**
 * Connect links bound to the admin who asked for them, for every provider: {@link #requester} says who asks (API key,
 * console session; the connectors record it with {@link ConnectFlowStates#begin}); {@link #open} lets only a console session of that key through to the provider (anyone else:
 * the login page, or a refusal that leaves the link usable by its owner); {@link #consume} accepts the provider's
 * callback only while the session that opened the link is still live.
 */
@Component
public class ConnectLinks {
    private static final Logger log = LoggerFactory.getLogger(ConnectLinks.class);

    /**
     * A provider's side of the start URL.
     *
     * @param id           the path segment and flow provider ("slack", "microsoft")
     * @param name         how pages name it ("Slack", "Microsoft Teams")
     * @param cookiePath   where the browser-binding cookie goes (must cover the callback)
     * @param secureCookie whether the callback is https (then the cookie is Secure)
     */
    public record Provider(String id, String name, String cookiePath, boolean secureCookie) {
    }

    private final ConnectFlowStates flows;
    private final ConsoleSessions sessions;

    ConnectLinks(ConnectFlowStates flows, ConsoleSessions sessions) {
        this.flows = flows;
        this.sessions = sessions;
    }

    /** Who asks for a connect link: the calling key, and its console session when the call came from one. */
    public Requester requester(HttpServletRequest request) {
        if (!(request.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "this API needs an API key: send 'Authorization: Bearer <key>'");
        }
        String sessionId = sessions.current(request)
                .filter(s -> s.sameKeyAs(caller.workspaceId(), caller.keyId(), caller.admin()))
                .map(Session::id).orElse(null);
        return new Requester(caller.workspaceId(), caller.keyId(), caller.admin(), sessionId);
    }

    /** The absolute start URL of a ticket on this server, as the browser that asked reaches it. */
    public static String startUrl(String provider, String ticket) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/oauth/" + provider + "/start")
                .queryParam("ticket", ticket).build().toUriString();
    }

    public static String startPath(String provider, String ticket) {
        return "/oauth/" + provider + "/start?ticket=" + ticket;
    }

    /**
     * The browser opened the start URL: to the provider's authorize page ({@code authorizeUrl}) with the
     * browser-binding cookie when the link is valid and the browser's console session is of the key that asked;
     * else the login page (no session) or a page saying why not.
     */
    public ResponseEntity<String> open(Provider provider, String ticket, HttpServletRequest request,
                                       Function<Flow, String> authorizeUrl) {
        Link link = flows.link(provider.id(), ticket).orElse(null);
        if (link == null) {
            return HtmlPages.message(HttpStatus.BAD_REQUEST, "This connect link has expired",
                    "Connect links work once and for " + ConnectFlowStates.LINK_VALID_FOR.toMinutes() + " minutes."
                            + " Start connecting " + provider.name() + " again from the integration.");
        }
        Optional<Session> session = sessions.current(request);
        if (session.isEmpty()) {
            return HtmlPages.builder(HttpStatus.FOUND)
                    .header(HttpHeaders.LOCATION, LoginReturns.loginUrl(startPath(provider.id(), ticket))).build();
        }
        Requester requester = link.requester();
        if (!session.get().id().equals(requester.sessionId())
                && !session.get().sameKeyAs(requester.workspaceId(), requester.keyId(), requester.admin())) {
            // the link stays usable: whoever it was forwarded to must not be able to cancel its owner's connect
            log.warn("{} connect link refused: opened by key {} (workspace {}), asked for by key {} (workspace {})",
                    provider.id(), session.get().keyId(), session.get().workspaceId(), requester.keyId(),
                    requester.workspaceId());
            return HtmlPages.message(HttpStatus.FORBIDDEN, "This connect link is for another administrator",
                    "It was created with a different API key than the one you are signed in with ("
                            + session.get().describe() + "), so it cannot connect " + provider.name() + " here."
                            + " Sign in with the key that started connecting, or start connecting again yourself.");
        }
        Flow flow = flows.start(ticket, link, session.get().id()).orElse(null);
        if (flow == null) {
            return HtmlPages.message(HttpStatus.BAD_REQUEST, "This connect link has expired",
                    "The link was used a moment ago. Start connecting " + provider.name() + " again.");
        }
        ResponseCookie cookie = ResponseCookie.from(ConnectFlowStates.BROWSER_COOKIE, flow.browserNonce())
                .httpOnly(true).secure(provider.secureCookie()).sameSite("Lax").path(provider.cookiePath())
                .maxAge(ConnectFlowStates.FLOW_VALID_FOR).build();
        log.info("{} connect opened workspace={} integration={} key={}", provider.id(), flow.workspaceId(),
                flow.integrationId(), session.get().keyId());
        return HtmlPages.builder(HttpStatus.FOUND).header(HttpHeaders.LOCATION, authorizeUrl.apply(flow))
                .header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }

    /**
     * The provider redirected back: the flow, when the state and browser cookie check out
     * ({@link ConnectFlowStates#consume}) and the console session that opened the link has not ended since (logged
     * out, expired, key revoked). The state is used up either way.
     */
    public Optional<Flow> consume(String provider, String state, String browserCookie) {
        return flows.consume(provider, state, browserCookie).filter(f -> sessions.peek(f.sessionId()).isPresent());
    }
}
