package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.store.ConfigView;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import org.springframework.http.ResponseCookie;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console login sessions: server-side, in memory, each bound to the API key that logged in (its id and workspace).
 * The browser holds only a random id in an HttpOnly cookie. A session ends on logout, after {@code idleTimeout}
 * unused, {@code maxAge} after login, and as soon as the live config shows its API key revoked. A restart of
 * integration-service ends every session (the admin logs in again).
 */
@Component
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleSessions {
    public static final String COOKIE = "mc_console";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One logged-in admin.
     *
     * @param keySha256 the key's hash when it is a workspace key on connectors.config (so revocation ends the
     *                  session); null for the operator key and the local stack's development key
     * @param viewing   the workspace an operator's session looks at (chosen on the operator's Workspaces screen);
     *                  null until chosen, and always null for a workspace key's session
     */
    public record Session(String id, String workspaceId, String keyId, boolean admin, Set<Scope> scopes,
                          String keySha256, Instant createdAt, Instant lastUsedAt, String viewing) {

        /** The API caller this session acts as: the same key, workspace and scopes as the key that signed in. */
        public Caller caller() {
            return new Caller(workspaceId, keyId, admin, scopes);
        }

        /** Logged in with the same API key as {@code caller}. */
        public boolean sameKeyAs(String workspaceId, String keyId, boolean admin) {
            return this.admin == admin && this.keyId.equals(keyId) && Objects.equals(this.workspaceId, workspaceId);
        }

        /** The workspace the console's workspace screens act on: the key's own, or the one an operator chose. */
        public String workspaceShown() {
            return admin ? viewing : workspaceId;
        }

        /** Whether the console offers the API keys screen: its routes admit only sessions holding keys:manage. */
        public boolean managesKeys() {
            return caller().has(Scope.KEYS_MANAGE);
        }

        /** How the session is named to the person using it; never the key. */
        public String describe() {
            return admin ? "the operator key" : "API key " + keyId + " of workspace " + workspaceId;
        }
    }

    /** Thrown when {@code maxSessions} are live: nothing is evicted to make room for a stranger's login. */
    public static final class TooManySessions extends RuntimeException {
        TooManySessions() {
            super("too many console sessions");
        }
    }

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    // sessions live in memory only, so their CSRF tokens need a key only as long as this process
    private final byte[] csrfKey = new byte[32];
    private final ConsoleProperties properties;
    private final ConfigView config;
    private final Clock clock;

    public ConsoleSessions(ConsoleProperties properties, ConfigView config, Clock clock) {
        this.properties = properties;
        this.config = config;
        this.clock = clock;
        RANDOM.nextBytes(csrfKey);
    }

    /** A new session for {@code caller}, who just proved it holds the key whose hash is {@code keySha256}. */
    public synchronized Session create(Caller caller, String keySha256) {
        purgeEnded();
        boolean revocable = config.apiKeyBySha256(keySha256).map(k -> k.id().equals(caller.keyId())).orElse(false);
        var sameKey = byId.values().stream()
                .filter(s -> s.sameKeyAs(caller.workspaceId(), caller.keyId(), caller.admin()))
                .sorted(Comparator.comparing(Session::createdAt)).toList();
        for (int i = 0; i <= sameKey.size() - properties.maxSessionsPerKey(); i++) {
            byId.remove(sameKey.get(i).id());
        }
        if (byId.size() >= properties.maxSessions()) {
            throw new TooManySessions();
        }
        Instant now = clock.instant();
        Session session = new Session(random(), caller.workspaceId(), caller.keyId(), caller.admin(),
                caller.scopes(), revocable ? keySha256 : null, now, now, null);
        byId.put(session.id(), session);
        return session;
    }

    /** The cookie that carries a session's id: HttpOnly, SameSite=Lax, Secure over HTTPS. */
    public String cookie(Session session, HttpServletRequest request) {
        return ResponseCookie.from(COOKIE, session.id()).httpOnly(true).secure(request.isSecure()).sameSite("Lax")
                .path("/").maxAge(properties.maxAge()).build().toString();
    }

    /** The token every change in the console carries (forms, htmx requests): bound to the session, never stored. */
    public String csrfToken(Session session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(session.id().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean validCsrfToken(Session session, String token) {
        return token != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The live session whose id the request's cookie holds; using it keeps it from going idle. */
    public Optional<Session> current(HttpServletRequest request) {
        return find(cookie(request));
    }

    /** The live session with this id, without touching it. */
    public Optional<Session> peek(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id)).filter(this::live);
    }

    /** Ends the session the request's cookie names, if any. */
    public void end(HttpServletRequest request) {
        String id = cookie(request);
        if (id != null) {
            byId.remove(id);
        }
    }

    public int count() {
        return byId.size();
    }

    private Optional<Session> find(String id) {
        Session session = id == null ? null : byId.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!live(session)) {
            byId.remove(id, session);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.workspaceId(), session.keyId(), session.admin(),
                session.scopes(), session.keySha256(), session.createdAt(), clock.instant(), session.viewing());
        byId.replace(id, session, touched);
        return Optional.of(touched);
    }

    /** An operator's session now looks at {@code workspaceId}; a workspace key's session cannot look elsewhere. */
    public Session view(Session session, String workspaceId) {
        if (!session.admin()) {
            throw new IllegalArgumentException("only the operator's session chooses a workspace");
        }
        Session viewing = new Session(session.id(), session.workspaceId(), session.keyId(), true, session.scopes(),
                session.keySha256(), session.createdAt(), session.lastUsedAt(), workspaceId);
        byId.computeIfPresent(session.id(), (id, old) -> viewing);
        return viewing;
    }

    private boolean live(Session session) {
        Instant now = clock.instant();
        return now.isBefore(session.lastUsedAt().plus(properties.idleTimeout()))
                && now.isBefore(session.createdAt().plus(properties.maxAge()))
                && (session.keySha256() == null
                    || config.apiKeyBySha256(session.keySha256()).filter(ApiKeyRecord::active).isPresent());
    }

    private void purgeEnded() {
        byId.values().removeIf(s -> !live(s));
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
