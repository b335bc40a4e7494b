package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.auth.ApiKeyAuthenticator;
import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.web.HtmlPages;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console login: an admin enters an API key in a server-rendered form and gets a console session
 * ({@link ConsoleSessions}), which connect links require. These endpoints authenticate themselves (no bearer token),
 * so they protect themselves against cross-site requests: a POST must come from this server's own page (Origin /
 * Sec-Fetch-Site, when the client sends them) and carry the form token that matches the login cookie set with the
 * form (double submit), so another site can neither log a visitor in with the site's own key (login CSRF) nor log
 * them out.
 */
@RestController
class ConsoleLoginController {
    static final String LOGOUT_PATH = "/console/logout";
    static final String FORM_COOKIE = "mc_login";
    private static final Duration FORM_VALID_FOR = Duration.ofHours(1);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_KEY_LENGTH = 512;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(ConsoleLoginController.class);

    private final ApiKeyAuthenticator authenticator;
    private final ConsoleSessions sessions;
    private final ConsoleProperties properties;

    ConsoleLoginController(ApiKeyAuthenticator authenticator, ConsoleSessions sessions, ConsoleProperties properties) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.properties = properties;
    }

    @GetMapping(LoginReturns.LOGIN_PATH)
    ResponseEntity<String> form(@RequestParam(name = "return", required = false) String returnPath,
                                @CookieValue(name = FORM_COOKIE, required = false) String formCookie,
                                HttpServletRequest request) {
        if (returnPath != null && !LoginReturns.isSafe(returnPath)) {
            return badReturn();
        }
        return form(HttpStatus.OK, returnPath, null, formCookie, request);
    }

    @PostMapping(LoginReturns.LOGIN_PATH)
    ResponseEntity<String> login(@RequestParam(name = "apiKey", required = false) String apiKey,
                                 @RequestParam(name = "csrf", required = false) String formToken,
                                 @RequestParam(name = "return", required = false) String returnPath,
                                 @CookieValue(name = FORM_COOKIE, required = false) String formCookie,
                                 HttpServletRequest request) {
        if (!ConsoleAccess.sameOrigin(request)) {
            return crossOrigin(request);
        }
        if (returnPath != null && !LoginReturns.isSafe(returnPath)) {
            return badReturn();
        }
        if (formCookie == null || formToken == null || !MessageDigest.isEqual(
                formCookie.getBytes(StandardCharsets.UTF_8), formToken.getBytes(StandardCharsets.UTF_8))) {
            log.warn("console login refused: the form token does not match the login cookie");
            return form(HttpStatus.FORBIDDEN, returnPath, "This sign-in form expired or was not opened on this"
                    + " server. Enter the API key again.", null, request);
        }
        String key = apiKey == null ? "" : apiKey.strip();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return form(HttpStatus.BAD_REQUEST, returnPath, "Enter an API key (it starts with mck_).", formCookie,
                    request);
        }
        Optional<Caller> caller = authenticator.authenticate("Bearer " + key);
        if (caller.isEmpty() && !authenticator.ready()) {
            return HtmlPages.builder(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .body(HtmlPages.html("Try again in a moment", "<p>API keys are still being loaded; sign in again"
                            + " in a few seconds.</p>"));
        }
        if (caller.isEmpty()) {
            log.info("console login refused: unknown or revoked API key");
            return form(HttpStatus.UNAUTHORIZED, returnPath, "That API key is unknown or has been revoked.",
                    formCookie, request);
        }
        Session session;
        try {
            sessions.end(request);
            session = sessions.create(caller.get(), ApiKeys.sha256Hex(key));
        } catch (ConsoleSessions.TooManySessions e) {
            log.warn("console login refused: {} sessions are live (connectors.console.max-sessions)", sessions.count());
            return HtmlPages.builder(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "60")
                    .body(HtmlPages.html("Too many people are signed in", "<p>Sign in again in a few minutes.</p>"));
        }
        log.info("console login workspace={} key={}", session.workspaceId(), session.keyId());
        return HtmlPages.builder(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, returnPath == null ? ConsoleAccess.HOME : returnPath)
                .header(HttpHeaders.SET_COOKIE, sessions.cookie(session, request))
                .header(HttpHeaders.SET_COOKIE, formCookie(request, "", Duration.ZERO))
                .build();
    }

    @PostMapping(LOGOUT_PATH)
    ResponseEntity<String> logout(HttpServletRequest request) {
        if (!ConsoleAccess.sameOrigin(request)) {
            return crossOrigin(request);
        }
        sessions.current(request).ifPresent(s -> log.info("console logout workspace={} key={}", s.workspaceId(),
                s.keyId()));
        sessions.end(request);
        ResponseCookie cleared = ResponseCookie.from(ConsoleSessions.COOKIE, "").httpOnly(true)
                .secure(request.isSecure()).sameSite("Lax").path("/").maxAge(Duration.ZERO).build();
        return HtmlPages.builder(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, LoginReturns.LOGIN_PATH)
                .header(HttpHeaders.SET_COOKIE, cleared.toString()).build();
    }

    private static ResponseEntity<String> crossOrigin(HttpServletRequest request) {
        log.warn("console {} refused: cross-site request (Origin {}, Sec-Fetch-Site {})", request.getRequestURI(),
                request.getHeader(HttpHeaders.ORIGIN), request.getHeader("Sec-Fetch-Site"));
        return HtmlPages.message(HttpStatus.FORBIDDEN, "Request refused",
                "This request came from another site. Open " + LoginReturns.LOGIN_PATH + " on this server and sign in"
                        + " or out there.");
    }

    private static ResponseEntity<String> badReturn() {
        return HtmlPages.message(HttpStatus.BAD_REQUEST, "This sign-in link is not valid",
                "After signing in, this page only leads on to a Slack or Microsoft Teams connect link of this server."
                        + " Open the connect link you were given again.");
    }

    /** The login form (with {@code error} shown, if any); the form token is the login cookie's, or a new one. */
    private ResponseEntity<String> form(HttpStatus status, String returnPath, String error, String formCookie,
                                        HttpServletRequest request) {
        String token = formCookie != null && TOKEN.matcher(formCookie).matches() ? formCookie : newToken();
        Optional<Session> current = sessions.current(request);
        StringBuilder body = new StringBuilder();
        if (current.isPresent()) {
            body.append("<p>Signed in with ").append(HtmlUtils.htmlEscape(current.get().describe()))
                    .append(".</p><form method=\"post\" action=\"").append(LOGOUT_PATH)
                    .append("\"><button type=\"submit\">Sign out</button></form><p>Or sign in with another key:</p>");
        } else if (returnPath != null) {
            body.append("<p>Sign in with the API key that started connecting to continue.</p>");
        } else {
            body.append("<p>Sign in to the admin console with your workspace's API key (or the operator key).</p>");
        }
        if (error != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(HtmlUtils.htmlEscape(error)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"").append(LoginReturns.LOGIN_PATH).append("\">")
                .append("<label for=\"apiKey\">API key</label>")
                .append("<input id=\"apiKey\" name=\"apiKey\" type=\"password\" autocomplete=\"off\" required autofocus>")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(token).append("\">");
        if (returnPath != null) {
            body.append("<input type=\"hidden\" name=\"return\" value=\"").append(HtmlUtils.htmlEscape(returnPath))
                    .append("\">");
        }
        body.append("<button type=\"submit\">Sign in</button></form>");
        return HtmlPages.builder(status).header(HttpHeaders.SET_COOKIE, formCookie(request, token, FORM_VALID_FOR))
                .body(HtmlPages.html("Sign in", body.toString()));
    }

    private static String formCookie(HttpServletRequest request, String token, Duration maxAge) {
        return ResponseCookie.from(FORM_COOKIE, token).httpOnly(true).secure(request.isSecure()).sameSite("Strict")
                .path(LoginReturns.LOGIN_PATH).maxAge(maxAge).build().toString();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
