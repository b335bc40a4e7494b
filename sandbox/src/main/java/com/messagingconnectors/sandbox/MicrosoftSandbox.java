package com.messagingconnectors.sandbox;

import tools.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import static com.messagingconnectors.sandbox.SandboxHttp.decode;
import static com.messagingconnectors.sandbox.SandboxHttp.enc;
import static com.messagingconnectors.sandbox.SandboxHttp.escape;
import static com.messagingconnectors.sandbox.SandboxHttp.json;
import static com.messagingconnectors.sandbox.SandboxHttp.parameters;
import static com.messagingconnectors.sandbox.SandboxHttp.send;

/**
 * Stands in for Microsoft under {@code /microsoft/}, closely enough to click through "Connect Microsoft Teams" and
 * see the cards teams-sender posts:
 * <ul>
 * <li>{@code /microsoft/login/{tenant}/oauth2/v2.0/authorize} — a consent page with Accept / Cancel that redirects
 * back with a code (or {@code error=access_denied});</li>
 * <li>{@code /microsoft/login/{tenant}/oauth2/v2.0/token} — code exchange (checks the PKCE verifier and redirect URI)
 * and refresh; {@code POST /microsoft/admin/revoke} revokes every refresh token (to see "disconnected");</li>
 * <li>{@code /microsoft/graph/v1.0/me/joinedTeams}, {@code …/teams/{id}/channels},
 * {@code POST …/teams/{id}/channels/{id}/messages} (recorded) and {@code …/messages/{id}/replies} (recorded, shown
 * as a reply to that message) — Graph with two teams;</li>
 * <li>{@code POST /microsoft/workflows/{anything}} — a Teams Workflows webhook URL (recorded);</li>
 * <li>{@code GET /microsoft/teams} — the received cards, rendered with the adaptivecards library when its file is
 * found (teams-sender's node project, or {@code SANDBOX_ADAPTIVECARDS_JS}), else with a readable plain fallback.</li>
 * </ul>
 */
final class MicrosoftSandbox {
    static final String PREFIX = "/microsoft";
    static final String USER = "ana@contoso.example";
    static final String TENANT_ID = "00000000-0000-0000-0000-5a4db0c0f7e1";
    private static final ObjectMapper JSON = SandboxJson.MAPPER;
    private static final Pattern AUTHORIZE = Pattern.compile("/microsoft/login/([^/]+)/oauth2/v2\\.0/authorize");
    private static final Pattern ADMIN_CONSENT = Pattern.compile("/microsoft/login/([^/]+)/adminconsent");
    private static final Pattern TOKEN = Pattern.compile("/microsoft/login/([^/]+)/oauth2/v2\\.0/token");
    private static final Pattern CHANNELS = Pattern.compile("/microsoft/graph/v1\\.0/teams/([^/]+)/channels");
    private static final Pattern MESSAGES = Pattern.compile("/microsoft/graph/v1\\.0/teams/([^/]+)/channels/([^/]+)/messages");
    private static final Pattern REPLIES = Pattern.compile(
            "/microsoft/graph/v1\\.0/teams/([^/]+)/channels/([^/]+)/messages/([^/]+)/replies");
    /** team id → (channel id → name) */
    private static final Map<String, Map<String, String>> TEAMS = Map.of(
            "team-analytics", Map.of("19:analytics-general@thread.tacv2", "General",
                    "19:analytics-alerts@thread.tacv2", "Alerts"),
            "team-security", Map.of("19:security-general@thread.tacv2", "General"));
    private static final String STYLE = "body{font-family:'Segoe UI',system-ui,sans-serif;max-width:36em;margin:3em auto;"
            + "padding:0 1em}.button{display:inline-block;padding:.5em 1.2em;background:#0067b8;color:#fff;"
            + "text-decoration:none;margin:.2em}.secondary{background:#e5e5e5;color:#000}";
    private static final Map<String, String> TEAM_NAMES = Map.of("team-analytics", "Analytics",
            "team-security", "Security");

    private record PendingCode(String clientId, String redirectUri, String codeChallenge, String scope) {
    }

    private final RequestLog requests;
    /** The cards received, kept apart from the shared log so that heavy webhook traffic cannot push them out. */
    private final RequestLog cards = new RequestLog(200);
    /** Ids Graph would give channel messages (epoch-millis-like, unique), and the ones given: team/channel/id. */
    private final java.util.concurrent.atomic.AtomicLong nextMessageId =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
    private final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();

    MicrosoftSandbox(RequestLog requests) {
        this.requests = requests;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Matcher m;
            if (method.equals("GET") && (m = AUTHORIZE.matcher(path)).matches()) {
                authorize(exchange, m.group(1));
            } else if (method.equals("GET") && ADMIN_CONSENT.matcher(path).matches()) {
                html(exchange, 200, "Admin consent granted (sandbox)", "<p>The administrator approved the app for"
                        + " the organization. Members can now connect.</p>");
            } else if (method.equals("POST") && TOKEN.matcher(path).matches()) {
                token(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "/admin/revoke")) {
                int revoked = refreshTokens.size();
                refreshTokens.clear();
                accessTokens.clear();
                json(exchange, 200, JSON.createObjectNode().put("revoked", revoked));
            } else if (method.equals("GET") && path.equals(PREFIX + "/graph/v1.0/me/joinedTeams")) {
                joinedTeams(exchange);
            } else if (method.equals("GET") && (m = CHANNELS.matcher(path)).matches()) {
                channels(exchange, decode(m.group(1)));
            } else if (method.equals("POST") && (m = MESSAGES.matcher(path)).matches()) {
                message(exchange, decode(m.group(1)), decode(m.group(2)), null);
            } else if (method.equals("POST") && (m = REPLIES.matcher(path)).matches()) {
                message(exchange, decode(m.group(1)), decode(m.group(2)), decode(m.group(3)));
            } else if (method.equals("POST") && path.startsWith(PREFIX + "/workflows/")) {
                cards.add(SandboxHttp.record(requests, exchange, SandboxHttp.bodyText(exchange)));
                send(exchange, 202, "text/plain", new byte[0]);
            } else if (method.equals("GET") && (path.equals(PREFIX + "/teams") || path.equals(PREFIX))) {
                send(exchange, 200, "text/html; charset=utf-8", TeamsPage.html());
            } else if (method.equals("GET") && path.equals(PREFIX + "/api/cards")) {
                json(exchange, 200, receivedCards());
            } else if (method.equals("GET") && path.equals(PREFIX + "/adaptivecards.min.js")) {
                adaptiveCardsLibrary(exchange);
            } else {
                graphError(exchange, 404, "NotFound", "the sandbox does not imitate " + method + " " + path);
            }
        }
    }

    private void authorize(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> q = parameters(exchange.getRequestURI().getRawQuery());
        String redirectUri = q.get("redirect_uri");
        if (redirectUri == null || q.get("client_id") == null || !"code".equals(q.get("response_type"))) {
            html(exchange, 400, "Sign-in request is incomplete",
                    "<p>AADSTS900144: client_id, redirect_uri and response_type=code are required.</p>");
            return;
        }
        if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            html(exchange, 400, "PKCE required", "<p>This sandbox, like a confidential client should, expects"
                    + " code_challenge with code_challenge_method=S256.</p>");
            return;
        }
        String code = "sbx-code-" + UUID.randomUUID();
        codes.put(code, new PendingCode(q.get("client_id"), redirectUri, q.get("code_challenge"), q.get("scope")));
        String state = q.getOrDefault("state", "");
        String accept = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + enc(code) + "&state="
                + enc(state) + "&session_state=" + UUID.randomUUID();
        String cancel = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=access_denied"
                + "&error_description=" + enc("AADSTS65004: User declined to consent to access the app.")
                + "&state=" + enc(state);
        String adminOnly = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=consent_required"
                + "&error_description=" + enc("AADSTS65001: The user or administrator has not consented to use the"
                + " application.") + "&state=" + enc(state);
        StringBuilder scopes = new StringBuilder("<ul>");
        for (String scope : q.getOrDefault("scope", "").split(" ")) {
            if (!scope.isBlank()) {
                scopes.append("<li><code>").append(escape(scope)).append("</code></li>");
            }
        }
        scopes.append("</ul>");
        html(exchange, 200, "Microsoft sign-in (sandbox)",
                "<p>Signed in as <b>" + USER + "</b> (tenant <code>" + escape(tenant) + "</code>).</p>"
                        + "<p>The app <code>" + escape(q.get("client_id")) + "</code> asks for:</p>" + scopes
                        + "<p><a class=\"button\" id=\"accept\" href=\"" + escape(accept) + "\">Accept</a> "
                        + "<a class=\"button secondary\" id=\"cancel\" href=\"" + escape(cancel) + "\">Cancel</a> "
                        + "<a class=\"button secondary\" id=\"admin\" href=\"" + escape(adminOnly)
                        + "\">Pretend an admin must approve</a></p>");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parameters(SandboxHttp.bodyText(exchange));
        String grant = form.getOrDefault("grant_type", "");
        if (form.get("client_id") == null || form.get("client_secret") == null) {
            tokenError(exchange, 401, "invalid_client", "AADSTS7000216: client_id and client_secret are required.");
            return;
        }
        switch (grant) {
            case "authorization_code" -> {
                PendingCode pending = codes.remove(form.getOrDefault("code", ""));
                if (pending == null) {
                    tokenError(exchange, 400, "invalid_grant", "AADSTS54005: OAuth2 Authorization code was already"
                            + " redeemed or is unknown.");
                } else if (!pending.redirectUri().equals(form.get("redirect_uri"))) {
                    tokenError(exchange, 400, "invalid_grant", "AADSTS50148: The redirect_uri does not match.");
                } else if (!pending.codeChallenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
                    tokenError(exchange, 400, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the"
                            + " code_challenge supplied in the authorization request.");
                } else {
                    issue(exchange, "sbx-rt-" + UUID.randomUUID(), pending.scope());
                }
            }
            case "refresh_token" -> {
                String refreshToken = form.getOrDefault("refresh_token", "");
                if (!refreshTokens.contains(refreshToken)) {
                    tokenError(exchange, 400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it"
                            + " being revoked.");
                } else {
                    issue(exchange, refreshToken, form.get("scope"));
                }
            }
            default -> tokenError(exchange, 400, "unsupported_grant_type", "AADSTS70003: unsupported grant type.");
        }
    }

    private void issue(HttpExchange exchange, String refreshToken, String scope) throws IOException {
        refreshTokens.add(refreshToken);
        String accessToken = "sbx-at-" + UUID.randomUUID();
        accessTokens.add(accessToken);
        String claims = JSON.createObjectNode().put("tid", TENANT_ID).put("preferred_username", USER)
                .put("name", "Ana (sandbox)").put("oid", "11111111-1111-1111-1111-111111111111").toString();
        String idToken = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".";
        ObjectNode body = JSON.createObjectNode().put("token_type", "Bearer")
                .put("scope", "ChannelMessage.Send Team.ReadBasic.All Channel.ReadBasic.All")
                .put("expires_in", 3599).put("access_token", accessToken).put("refresh_token", refreshToken)
                .put("id_token", idToken);
        json(exchange, 200, body);
    }

    private void joinedTeams(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        new TreeMap<>(TEAM_NAMES).forEach((id, name) -> value.addObject().put("id", id).put("displayName", name)
                .put("description", name + " team (sandbox)"));
        json(exchange, 200, body);
    }

    private void channels(HttpExchange exchange, String teamId) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> channels = TEAMS.get(teamId);
        if (channels == null) {
            graphError(exchange, 404, "NotFound", "No team found with Group Id " + teamId);
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        new TreeMap<>(channels).forEach((id, name) -> value.addObject().put("id", id).put("displayName", name)
                .put("membershipType", "standard"));
        json(exchange, 200, body);
    }

    /** A channel message, or with {@code replyTo} a reply to one this sandbox created (Graph's 404 otherwise). */
    private void message(HttpExchange exchange, String teamId, String channelId, String replyTo) throws IOException {
        String body = SandboxHttp.bodyText(exchange);
        if (!authorized(exchange)) {
            return;
        }
        if (!TEAMS.containsKey(teamId) || !TEAMS.get(teamId).containsKey(channelId)) {
            graphError(exchange, 404, "NotFound", "Channel " + channelId + " of team " + teamId + " not found");
            return;
        }
        if (replyTo != null && !messageIds.contains(teamId + "/" + channelId + "/" + replyTo)) {
            graphError(exchange, 404, "NotFound", "Message " + replyTo + " not found");
            return;
        }
        cards.add(SandboxHttp.record(requests, exchange, body));
        String id = String.valueOf(nextMessageId.incrementAndGet());
        if (replyTo == null) {
            messageIds.add(teamId + "/" + channelId + "/" + id);
        }
        json(exchange, 201, JSON.createObjectNode().put("id", id).put("messageType", "message"));
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ") || !accessTokens.contains(header.substring(7))) {
            graphError(exchange, 401, "InvalidAuthenticationToken", "Access token is empty, expired or unknown.");
            return false;
        }
        return true;
    }

    /** The cards received, newest first: {receivedAt, path, mode, card}. */
    private ArrayNode receivedCards() {
        ArrayNode out = JSON.createArrayNode();
        for (RecordedRequest r : cards.list(r -> true)) {
            ObjectNode item = out.addObject().put("id", r.id()).put("receivedAt", r.receivedAt().toString())
                    .put("path", r.path()).put("mode", r.path().contains("/workflows/") ? "workflow" : "graph");
            Matcher reply = REPLIES.matcher(r.path());
            if (reply.matches()) {
                item.put("replyTo", decode(reply.group(3))); // a reply in that message's thread
            }
            try {
                var body = JSON.readTree(r.body());
                var attachment = body.path("attachments").path(0);
                var content = attachment.path("content");
                item.set("card", content.isString() ? JSON.readTree(content.asString("")) : content);
            } catch (JacksonException e) {
                item.put("error", "not JSON: " + e.getMessage());
            }
        }
        return out;
    }

    private void adaptiveCardsLibrary(HttpExchange exchange) throws IOException {
        Path file = adaptiveCardsFile();
        if (file == null) {
            send(exchange, 404, "text/plain", "adaptivecards.min.js not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "text/javascript; charset=utf-8", Files.readAllBytes(file));
    }

    /** The library from the npm package teams-sender's build installs (or where SANDBOX_ADAPTIVECARDS_JS says). */
    static Path adaptiveCardsFile() {
        String configured = System.getenv("SANDBOX_ADAPTIVECARDS_JS");
        List<String> candidates = configured != null ? List.of(configured) : List.of(
                "teams-sender/src/test/node/node_modules/adaptivecards/dist/adaptivecards.min.js",
                "../teams-sender/src/test/node/node_modules/adaptivecards/dist/adaptivecards.min.js");
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }

    private static void tokenError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        json(exchange, status, JSON.createObjectNode().put("error", error)
                .put("error_description", description + " Trace ID: " + UUID.randomUUID())
                .put("error_codes", description.replaceAll("AADSTS(\\d+).*", "$1")));
    }

    private static void graphError(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        json(exchange, status, body);
    }

    private static void html(HttpExchange exchange, int status, String title, String content) throws IOException {
        SandboxHttp.html(exchange, status, title, STYLE, content);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
