package com.messagingconnectors.sandbox;

import tools.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;


import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import static com.messagingconnectors.sandbox.SandboxHttp.enc;
import static com.messagingconnectors.sandbox.SandboxHttp.escape;
import static com.messagingconnectors.sandbox.SandboxHttp.json;
import static com.messagingconnectors.sandbox.SandboxHttp.parameters;
import static com.messagingconnectors.sandbox.SandboxHttp.send;

/**
 * Stands in for slack.com under {@code /slack/}, closely enough to click through "Connect Slack" and see the messages
 * slack-sender posts (point {@code SLACK_API_BASE_URL} at {@code http://127.0.0.1:8099/slack}):
 * <ul>
 * <li>{@code GET /slack/oauth/v2/authorize} — the install page of workspace "Sandbox Team" with Allow / Cancel,
 * redirecting back with a code (or {@code error=access_denied});</li>
 * <li>{@code POST /slack/api/oauth.v2.access}, {@code auth.test}, {@code conversations.list} (paginated),
 * {@code conversations.join}, {@code chat.postMessage} (recorded; at most 1 message/s per channel with a burst of 5,
 * HTTP 429 with Retry-After beyond it, like Slack; with {@code thread_ts} a reply in that message's thread),
 * {@code chat.update} of a posted message (recorded; the message then shows its new text, blocks and attachments,
 * marked edited; {@code message_not_found} for a ts it did not give out);</li>
 * <li>{@code POST /slack/admin/uninstall} — every token stops working ({@code token_revoked}), to see
 * "disconnected";</li>
 * <li>{@code GET /slack} — the posted messages rendered as simple HTML; {@code GET /slack/api/messages} as JSON;
 * {@code GET /slack/api/stats} counters (posted, 429s; channels {@code C0BENCH…} exist on demand for the benchmark
 * and are only counted).</li>
 * </ul>
 */
final class SlackSandbox {
    static final String PREFIX = "/slack";
    static final String TEAM_ID = "T0SANDBOX";
    static final String TEAM_NAME = "Sandbox Team";
    static final String BOT_USER_ID = "U0SANDBOXBOT";
    private static final ObjectMapper JSON = SandboxJson.MAPPER;
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;"
            + "padding:0 1em}.button{display:inline-block;padding:.5em 1.2em;background:#007a5a;color:#fff;"
            + "text-decoration:none;border-radius:4px;margin:.2em}.secondary{background:#e8e8e8;color:#1d1c1d}";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The workspace's channels: id → (name, private, archived). */
    private record Channel(String id, String name, boolean isPrivate, boolean archived) {
    }

    private static final List<Channel> CHANNELS = List.of(
            new Channel("C0GENERAL", "general", false, false),
            new Channel("C0ANALYTICS", "analytics-team", false, false),
            new Channel("C0SECURITY", "security", true, false),
            new Channel("C0ONCALL", "on-call", false, false),
            new Channel("C0OLD", "old-project", false, true));

    /** A token bucket per channel: Slack's "about one message per second per channel, short bursts allowed". */
    static final class Bucket {
        private final double perSecond;
        private final int burst;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double perSecond, int burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final RequestLog requests;
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000L);
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong posted = new AtomicLong();
    /** Bench channels (C0BENCH…): distinct message texts and first/last arrival, for bench/slack-run. */
    private final Set<String> benchTexts = ConcurrentHashMap.newKeySet();
    private final AtomicLong benchPosts = new AtomicLong();
    private final AtomicLong benchFirstMillis = new AtomicLong();
    private final AtomicLong benchLastMillis = new AtomicLong();
    private volatile boolean uninstalled;
    /** The ts each recorded chat.postMessage was answered with, by request id. */
    private final Map<Long, String> tsOfRequest = new ConcurrentHashMap<>();
    /** channel + ts of every message posted here, to tell a ts we gave out from an unknown one. */
    private final Set<String> postedMessages = ConcurrentHashMap.newKeySet();
    /** The latest chat.update of a message, by channel + ts: {text, blocks, attachments, updatedAt}. */
    private final Map<String, ObjectNode> edits = new ConcurrentHashMap<>();

    SlackSandbox(RequestLog requests) {
        this.requests = requests;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            switch (method + " " + path) {
                case "GET /slack", "GET /slack/" -> page(exchange);
                case "GET /slack/oauth/v2/authorize" -> authorize(exchange);
                case "GET /slack/api/messages" -> json(exchange, 200, messages());
                case "GET /slack/api/stats" -> json(exchange, 200, stats());
                case "POST /slack/admin/uninstall" -> {
                    uninstalled = true;
                    json(exchange, 200, ok());
                }
                case "POST /slack/admin/reinstall" -> {
                    uninstalled = false;
                    json(exchange, 200, ok());
                }
                case "POST /slack/api/oauth.v2.access" -> oauthAccess(exchange, form(exchange));
                case "POST /slack/api/auth.test" -> authed(exchange, form(exchange), f -> ok()
                        .put("url", "http://127.0.0.1:8099/slack/").put("team", TEAM_NAME).put("user", "notifications")
                        .put("team_id", TEAM_ID).put("user_id", BOT_USER_ID).put("bot_id", "B0SANDBOX"));
                case "POST /slack/api/conversations.list" -> authed(exchange, form(exchange), this::conversations);
                case "POST /slack/api/conversations.join" -> authed(exchange, form(exchange), this::join);
                case "POST /slack/api/chat.postMessage" -> postMessage(exchange);
                case "POST /slack/api/chat.update" -> update(exchange);
                default -> json(exchange, 404, JSON.createObjectNode().put("ok", false).put("error", "unknown_method")
                        .put("detail", "the sandbox does not imitate " + method + " " + path));
            }
        }
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = parameters(exchange.getRequestURI().getRawQuery());
        String redirect = q.get("redirect_uri");
        if (redirect == null || q.get("client_id") == null) {
            html(exchange, 400, "Something's wrong", "<p>redirect_uri and client_id are required.</p>");
            return;
        }
        String code = "sandbox-code-" + UUID.randomUUID();
        codes.put(code, redirect);
        String state = q.getOrDefault("state", "");
        String allow = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code) + "&state=" + enc(state);
        String cancel = redirect + (redirect.contains("?") ? "&" : "?") + "error=access_denied&state=" + enc(state);
        StringBuilder scopes = new StringBuilder("<ul>");
        for (String scope : q.getOrDefault("scope", "").split(",")) {
            scopes.append("<li><code>").append(escape(scope)).append("</code></li>");
        }
        scopes.append("</ul>");
        html(exchange, 200, "Notifications is requesting permission to access the " + TEAM_NAME
                + " Slack workspace", scopes + "<p>Client id <code>" + escape(q.get("client_id")) + "</code></p>"
                + "<a class=\"button\" href=\"" + escape(allow) + "\">Allow</a> "
                + "<a class=\"button secondary\" href=\"" + escape(cancel) + "\">Cancel</a>");
    }

    private void oauthAccess(HttpExchange exchange, Map<String, String> form) throws IOException {
        if ("refresh_token".equals(form.get("grant_type"))) {
            json(exchange, 200, error("invalid_refresh_token"));
            return;
        }
        String redirect = codes.remove(form.getOrDefault("code", ""));
        if (redirect == null) {
            json(exchange, 200, error("invalid_code"));
            return;
        }
        if (form.get("redirect_uri") != null && !form.get("redirect_uri").equals(redirect)) {
            json(exchange, 200, error("bad_redirect_uri"));
            return;
        }
        uninstalled = false;
        ObjectNode answer = ok().put("app_id", "A0SANDBOX").put("access_token", "xoxb-sandbox-" + UUID.randomUUID())
                .put("token_type", "bot").put("scope", "chat:write,chat:write.public,channels:read,groups:read")
                .put("bot_user_id", BOT_USER_ID);
        answer.putObject("team").put("id", TEAM_ID).put("name", TEAM_NAME);
        answer.putNull("enterprise");
        answer.put("is_enterprise_install", false);
        answer.putObject("authed_user").put("id", "U0ADMIN");
        json(exchange, 200, answer);
    }

    private ObjectNode conversations(Map<String, String> form) {
        boolean excludeArchived = "true".equals(form.get("exclude_archived")) || "1".equals(form.get("exclude_archived"));
        String types = form.getOrDefault("types", "public_channel");
        int limit = Math.max(1, Math.min(1000, Integer.parseInt(form.getOrDefault("limit", "100"))));
        int start = form.get("cursor") == null || form.get("cursor").isBlank() ? 0 : Integer.parseInt(form.get("cursor"));
        List<Channel> visible = CHANNELS.stream()
                .filter(c -> !(excludeArchived && c.archived()))
                .filter(c -> c.isPrivate() ? types.contains("private_channel") : types.contains("public_channel"))
                .toList();
        ObjectNode answer = ok();
        ArrayNode channels = answer.putArray("channels");
        for (Channel c : visible.subList(Math.min(start, visible.size()), Math.min(start + limit, visible.size()))) {
            channels.addObject().put("id", c.id()).put("name", c.name()).put("is_channel", true)
                    .put("is_private", c.isPrivate()).put("is_archived", c.archived())
                    .put("is_member", c.isPrivate() || joined.contains(c.id()));
        }
        answer.putObject("response_metadata").put("next_cursor",
                start + limit < visible.size() ? String.valueOf(start + limit) : "");
        return answer;
    }

    private ObjectNode join(Map<String, String> form) {
        Channel channel = channel(form.get("channel"));
        if (channel == null) {
            return error("channel_not_found");
        }
        if (channel.isPrivate()) {
            return error("method_not_supported_for_channel_type");
        }
        joined.add(channel.id());
        ObjectNode answer = ok();
        answer.putObject("channel").put("id", channel.id()).put("name", channel.name());
        return answer;
    }

    private void postMessage(HttpExchange exchange) throws IOException {
        String body = SandboxHttp.bodyText(exchange);
        Map<String, String> form = bodyParameters(exchange, body);
        String tokenProblem = tokenProblem(exchange, form);
        if (tokenProblem != null) {
            json(exchange, 200, error(tokenProblem));
            return;
        }
        Channel channel = channel(form.get("channel"));
        if (channel == null) {
            json(exchange, 200, error("channel_not_found"));
            return;
        }
        if (channel.archived()) {
            json(exchange, 200, error("is_archived"));
            return;
        }
        if (!buckets.computeIfAbsent(channel.id(), id -> new Bucket(1.0, 5)).take()) {
            rateLimited.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", "1");
            json(exchange, 429, error("ratelimited"));
            return;
        }
        String threadTs = form.get("thread_ts");
        if (threadTs != null && !threadTs.isBlank() && !postedMessages.contains(channel.id() + "/" + threadTs)) {
            json(exchange, 200, error("thread_not_found"));
            return;
        }
        posted.incrementAndGet();
        long n = ts.incrementAndGet();
        String messageTs = (n / 1000) + "." + String.format("%06d", n % 1_000_000);
        if (channel.id().startsWith(BENCH_CHANNEL_PREFIX)) {
            countBench(form.getOrDefault("text", ""));
        } else {
            // bench runs would flood the page; they are counted instead
            RecordedRequest recorded = SandboxHttp.record(requests, exchange, body);
            tsOfRequest.put(recorded.id(), messageTs);
            postedMessages.add(channel.id() + "/" + messageTs);
        }
        json(exchange, 200, ok().put("channel", channel.id()).put("ts", messageTs));
    }

    /** chat.update: the message keeps its place and shows the new content, marked edited. */
    private void update(HttpExchange exchange) throws IOException {
        String body = SandboxHttp.bodyText(exchange);
        Map<String, String> form = bodyParameters(exchange, body);
        String tokenProblem = tokenProblem(exchange, form);
        if (tokenProblem != null) {
            json(exchange, 200, error(tokenProblem));
            return;
        }
        Channel channel = channel(form.get("channel"));
        if (channel == null) {
            json(exchange, 200, error("channel_not_found"));
            return;
        }
        String key = channel.id() + "/" + form.get("ts");
        if (!postedMessages.contains(key)) {
            json(exchange, 200, error("message_not_found"));
            return;
        }
        SandboxHttp.record(requests, exchange, body);
        ObjectNode edit = JSON.createObjectNode().put("updatedAt", Instant.now().toString()).put("text", form.get("text"));
        edit.set("blocks", jsonArray(form.get("blocks")));
        edit.set("attachments", jsonArray(form.get("attachments")));
        edits.put(key, edit);
        json(exchange, 200, ok().put("channel", channel.id()).put("ts", form.get("ts")).put("text", form.get("text")));
    }

    private static JsonNode jsonArray(String text) {
        try {
            JsonNode node = text == null ? null : JSON.readTree(text);
            return node != null && node.isArray() ? node : JSON.createArrayNode();
        } catch (JacksonException e) {
            return JSON.createArrayNode();
        }
    }

    /**
     * The messages received, newest first: {id, receivedAt, channel, channelName, ts, text, blocks}; a thread reply
     * also has {@code threadTs}; an edited message shows its latest content with {@code edited: true},
     * {@code updatedAt} and {@code attachments}, and a message with replies lists their texts in {@code replies}.
     */
    ArrayNode messages() {
        ArrayNode out = JSON.createArrayNode();
        Map<String, List<String>> replies = new java.util.HashMap<>();
        List<RecordedRequest> posts = requests.list(r -> r.path().equals(PREFIX + "/api/chat.postMessage"));
        for (RecordedRequest r : posts) {
            Map<String, String> form = parameters(r.body());
            if (form.get("thread_ts") != null) {
                replies.computeIfAbsent(form.get("channel") + "/" + form.get("thread_ts"), k -> new java.util.ArrayList<>())
                        .addFirst(form.get("text"));
            }
        }
        for (RecordedRequest r : posts) {
            Map<String, String> form = parameters(r.body());
            Channel channel = channel(form.get("channel"));
            String messageTs = tsOfRequest.get(r.id());
            ObjectNode item = out.addObject().put("id", r.id()).put("receivedAt", r.receivedAt().toString())
                    .put("channel", form.get("channel")).put("channelName", channel == null ? null : "#" + channel.name())
                    .put("ts", messageTs).put("text", form.get("text"));
            if (form.get("thread_ts") != null) {
                item.put("threadTs", form.get("thread_ts"));
            }
            try {
                item.set("blocks", form.get("blocks") == null ? JSON.createArrayNode() : JSON.readTree(form.get("blocks")));
            } catch (JacksonException e) {
                item.put("error", "blocks are not JSON: " + e.getMessage());
            }
            ObjectNode edit = messageTs == null ? null : edits.get(form.get("channel") + "/" + messageTs);
            if (edit != null) {
                item.put("edited", true).put("updatedAt", edit.path("updatedAt").asString(""))
                        .put("text", edit.path("text").asString(null));
                item.set("blocks", edit.path("blocks"));
                item.set("attachments", edit.path("attachments"));
            }
            List<String> thread = messageTs == null ? null : replies.get(form.get("channel") + "/" + messageTs);
            if (thread != null) {
                ArrayNode list = item.putArray("replies");
                thread.forEach(list::add);
            }
        }
        return out;
    }

    private void page(HttpExchange exchange) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<p class=\"meta\">Messages slack-sender posted to the sandbox workspace <b>").append(TEAM_NAME)
                .append("</b>, newest first (this page refreshes every 3 s). Answered 429 so far: ")
                .append(rateLimited.get()).append(uninstalled ? ". <b>The app is uninstalled</b> (tokens revoked)." : ".")
                .append("</p>");
        ArrayNode messages = messages();
        if (messages.isEmpty()) {
            html.append("<p>No messages yet.</p>");
        }
        for (JsonNode m : messages) {
            if (m.has("threadTs")) {
                continue; // shown under the message it answers
            }
            html.append("<div class=\"msg\"><div class=\"meta\">").append(escape(m.path("channelName").asString(
                    m.path("channel").asString("")))).append(" · ").append(TIME.format(Instant.parse(m.path("receivedAt")
                    .asString("")))).append(" UTC").append(m.path("edited").asBoolean(false) ? " · <b>(edited)</b>" : "")
                    .append(" · notification text: ").append(slackText(m.path("text").asString("")))
                    .append("</div>");
            for (JsonNode block : m.path("blocks")) {
                html.append(renderBlock(block));
            }
            for (JsonNode attachment : m.path("attachments")) {
                html.append("<div class=\"att\" style=\"border-left-color:")
                        .append(escape(safeColor(attachment.path("color").asString("")))).append("\">");
                for (JsonNode block : attachment.path("blocks")) {
                    html.append(renderBlock(block));
                }
                html.append("</div>");
            }
            for (JsonNode reply : m.path("replies")) {
                html.append("<div class=\"reply\"><span class=\"meta\">reply in thread: </span>")
                        .append(slackText(reply.asString(""))).append("</div>");
            }
            html.append("</div>");
        }
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\""
                + " content=\"3\"><title>Slack sandbox</title><style>body{font-family:system-ui,sans-serif;"
                + "max-width:50em;margin:2em auto;padding:0 1em}.msg{border:1px solid #ddd;border-radius:8px;"
                + "padding:.8em 1em;margin:1em 0}.meta{color:#616061;font-size:.85em}.fields{display:grid;"
                + "grid-template-columns:1fr 1fr;gap:.3em 1em}.ctx{color:#616061;font-size:.8em}"
                + ".button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:.2em .8em;"
                + "text-decoration:none;color:#1d1c1d}h3{margin:.3em 0}.att{border-left:4px solid #ddd;padding-left:.6em;"
                + "margin:.4em 0}.reply{border-left:2px solid #ddd;margin:.4em 0 0 1em;padding-left:.6em}</style></head><body><h1>Slack sandbox</h1>"
                + html + "</body></html>";
        send(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static String renderBlock(JsonNode block) {
        return switch (block.path("type").asString("")) {
            case "header" -> "<h3>" + slackText(block.path("text").path("text").asString("")) + "</h3>";
            case "section" -> {
                StringBuilder s = new StringBuilder();
                if (block.has("text")) {
                    s.append("<p>").append(slackText(block.path("text").path("text").asString(""))).append("</p>");
                }
                if (block.has("fields")) {
                    s.append("<div class=\"fields\">");
                    block.path("fields").forEach(f -> s.append("<div>").append(slackText(f.path("text").asString("")))
                            .append("</div>"));
                    s.append("</div>");
                }
                yield s.toString();
            }
            case "context" -> {
                StringBuilder s = new StringBuilder("<p class=\"ctx\">");
                block.path("elements").forEach(e -> s.append(slackText(e.path("text").asString(""))).append(" "));
                yield s.append("</p>").toString();
            }
            case "actions" -> {
                StringBuilder s = new StringBuilder("<p>");
                block.path("elements").forEach(e -> s.append("<a class=\"button\" href=\"")
                        .append(escape(safeUrl(e.path("url").asString("")))).append("\">")
                        .append(slackText(e.path("text").path("text").asString(""))).append("</a> "));
                yield s.append("</p>").toString();
            }
            case "divider" -> "<hr>";
            default -> "<pre>" + escape(block.toString()) + "</pre>";
        };
    }

    /**
     * Slack text as a person would see it: Slack's own escapes (&amp;amp; &amp;lt; &amp;gt;) decoded, then everything
     * HTML-escaped, *bold* shown bold, line breaks kept. So "&lt;!channel&gt;" sent escaped shows as the harmless text.
     */
    static String slackText(String text) {
        String plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return escape(plain).replaceAll("\\*([^*\\n]+)\\*", "<b>$1</b>").replace("\n", "<br>");
    }

    // ---- helpers

    private interface Method {
        ObjectNode answer(Map<String, String> form);
    }

    private void authed(HttpExchange exchange, Map<String, String> form, Method method) throws IOException {
        String problem = tokenProblem(exchange, form);
        json(exchange, 200, problem != null ? error(problem) : method.answer(form));
    }

    /** Tokens this sandbox issued start with xoxb-sandbox- (they survive a sandbox restart, like Slack's). */
    private String tokenProblem(HttpExchange exchange, Map<String, String> form) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : form.get("token");
        if (token == null || token.isBlank()) {
            return "not_authed";
        }
        if (!token.startsWith("xoxb-sandbox-")) {
            return "invalid_auth";
        }
        return uninstalled ? "token_revoked" : null;
    }

    private Map<String, String> form(HttpExchange exchange) throws IOException {
        return bodyParameters(exchange, SandboxHttp.bodyText(exchange));
    }

    /** Slack takes form-encoded parameters (what the SDK sends) or a JSON body. */
    private static Map<String, String> bodyParameters(HttpExchange exchange, String body) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            Map<String, String> out = new LinkedHashMap<>();
            JSON.readTree(body).properties().forEach(e -> out.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asString("") : e.getValue().toString()));
            return out;
        }
        return parameters(body);
    }

    /** Channels C0BENCH000 … exist on demand (as #bench-000 …) for the rate-limit benchmark. */
    static final String BENCH_CHANNEL_PREFIX = "C0BENCH";

    private static Channel channel(String id) {
        if (id != null && id.startsWith(BENCH_CHANNEL_PREFIX) && id.length() > BENCH_CHANNEL_PREFIX.length()) {
            return new Channel(id, "bench-" + id.substring(BENCH_CHANNEL_PREFIX.length()).toLowerCase(Locale.ROOT),
                    false, false);
        }
        return id == null ? null : CHANNELS.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    private void countBench(String text) {
        long now = System.currentTimeMillis();
        benchFirstMillis.compareAndSet(0, now);
        benchLastMillis.set(now);
        benchPosts.incrementAndGet();
        benchTexts.add(text);
    }

    /** Counters: messages accepted, 429s answered, and for bench channels distinct messages and arrival span. */
    private ObjectNode stats() {
        return JSON.createObjectNode().put("posted", posted.get()).put("rateLimited", rateLimited.get())
                .put("benchPosts", benchPosts.get()).put("benchDistinct", benchTexts.size())
                .put("benchFirstMillis", benchFirstMillis.get()).put("benchLastMillis", benchLastMillis.get());
    }

    /** Only #rrggbb colours reach the page's style attribute. */
    private static String safeColor(String color) {
        return color.matches("#[0-9a-fA-F]{6}") ? color : "#dddddd";
    }

    private static String safeUrl(String url) {
        return url.startsWith("http://") || url.startsWith("https://") ? url : "#";
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode error(String error) {
        return JSON.createObjectNode().put("ok", false).put("error", error);
    }

    private static void html(HttpExchange exchange, int status, String title, String content) throws IOException {
        SandboxHttp.html(exchange, status, title, STYLE, content);
    }
}
