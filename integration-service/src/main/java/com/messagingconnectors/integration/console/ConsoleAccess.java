package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.auth.ApiKeyAuthenticator;
import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.auth.ApiRoutes;
import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the console: the console session ({@link ConsoleSessions}, cookie {@code mc_console}) stands for the
 * API key that signed in, with its workspace and scopes. The route rules ({@code IntegrationServiceRoutes}) ask
 * {@link #signedIn()} or {@link #operator()}; a change (any method but GET/HEAD) must also come from this server's
 * own pages (Origin / Sec-Fetch-Site) and carry the session's CSRF token (form field {@code _csrf} or header
 * {@code X-CSRF-Token}). Handlers get the session and its {@link Caller} as request attributes, so every screen acts
 * on the session's own workspace: a page never takes the workspace from the URL.
 * <p>
 * {@link #signInRedirect()} runs before the security chain and only helps a browser without a session: a page request
 * goes to the login form, or, in local mode, signs in with the local stack's development key ({@code ws_demo}).
 */
@Component
public class ConsoleAccess {
    public static final String HOME = "/console";
    public static final String SESSION_ATTRIBUTE = "com.messagingconnectors.integration.console.session";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final ConsoleSessions sessions;
    private final ApiKeyAuthenticator authenticator;
    private final String localModeKey;

    ConsoleAccess(ConsoleSessions sessions, ApiKeyAuthenticator authenticator,
                  @Value("${connectors.security.local-mode:false}") boolean localMode,
                  @Value("${connectors.security.dev-api-key:}") String devKey) {
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.localModeKey = localMode && !devKey.isBlank() ? devKey : null;
    }

    /**
     * A console session of a key holding {@code scope} — the scope the same change needs in the API; changes need the
     * CSRF token too.
     */
    public AuthorizationManager<RequestAuthorizationContext> signedIn(Scope scope) {
        return (authentication, context) -> new AuthorizationDecision(admit(context.getRequest(), scope, false));
    }

    /** A console session of the operator key. */
    public AuthorizationManager<RequestAuthorizationContext> operator() {
        return (authentication, context) -> new AuthorizationDecision(admit(context.getRequest(), null, true));
    }

    private boolean admit(HttpServletRequest request, Scope scope, boolean operatorOnly) {
        Optional<Session> session = sessions.current(request);
        if (session.isEmpty()) {
            request.setAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE, "a console session: sign in at /console/login");
            return false;
        }
        request.setAttribute(ApiRoutes.CALLER_KNOWN_ATTRIBUTE, Boolean.TRUE);
        if (operatorOnly && !session.get().admin()) {
            request.setAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE, "a console session of the operator key");
            return false;
        }
        if (scope != null && !session.get().caller().has(scope)) {
            request.setAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE, "the scope " + scope.id());
            return false;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String token = request.getHeader(CSRF_HEADER);
            if (token == null) {
                token = request.getParameter(CSRF_FIELD);
            }
            if (!sameOrigin(request) || !sessions.validCsrfToken(session.get(), token)) {
                request.setAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE, "a change made on this console's own page"
                        + " (reload the page and try again)");
                return false;
            }
        }
        request.setAttribute(SESSION_ATTRIBUTE, session.get());
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, session.get().caller());
        return true;
    }

    /**
     * A browser says where a request comes from: Sec-Fetch-Site, and Origin (sent by every current browser on a
     * POST). Either, when present, must say this server. A client sending neither is not a browser, so not the victim
     * of a cross-site request; the token still has to match. A page served with {@code Referrer-Policy: no-referrer}
     * (the login form) makes the browser send {@code Origin: null}: then Sec-Fetch-Site alone must say same-origin.
     */
    static boolean sameOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            return false;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if ("null".equals(origin)) {
            return "same-origin".equals(site);
        }
        return origin == null || origin.equalsIgnoreCase(ownOrigin(request));
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https");
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    /** Sends a browser without a session from a console page to the login (or signs in, in local mode). */
    public OncePerRequestFilter signInRedirect() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                String path = request.getRequestURI();
                boolean page = SAFE_METHODS.contains(request.getMethod())
                        && (path.equals(HOME) || path.startsWith(HOME + "/"))
                        && !path.startsWith(LoginReturns.LOGIN_PATH) && !path.startsWith(HOME + "/assets/");
                if (!page || sessions.current(request).isPresent()) {
                    chain.doFilter(request, response);
                    return;
                }
                Optional<Caller> local = localModeKey == null ? Optional.empty() : authenticator.byKey(localModeKey);
                if (local.isPresent()) {
                    Session session = sessions.create(local.get(), ApiKeys.sha256Hex(localModeKey));
                    response.addHeader(HttpHeaders.SET_COOKIE, sessions.cookie(session, request));
                }
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                response.setHeader(HttpHeaders.LOCATION, local.isPresent() ? HOME : LoginReturns.LOGIN_PATH);
            }
        };
    }
}
