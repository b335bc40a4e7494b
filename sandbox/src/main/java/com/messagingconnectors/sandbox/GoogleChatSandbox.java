package com.messagingconnectors.sandbox;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for Google Chat's incoming webhooks under {@code /googlechat/}: a space's webhook URL on the local stack is
 * {@code http://127.0.0.1:8099/googlechat/v1/spaces/<space>/messages?key=<any>&token=<any>}.
 * <ul>
 * <li>{@code POST /googlechat/v1/spaces/{space}/messages} — recorded, answered like Google Chat: 200 with the created
 * Message ({@code name}, {@code space}, {@code createTime}); 400 when the key or token is missing or the body is not a
 * message with {@code text} or {@code cardsV2}; the sandbox's {@code PUT /api/answers?path=…} makes a space fail;</li>
 * <li>{@code GET /googlechat} — the messages received, newest first: each card's header, fields and button, and the
 * text fallback; {@code GET /googlechat/api/messages} the same as JSON ({@code space}, {@code message}).</li>
 * </ul>
 * The key and token of a request are never shown: the page and the JSON show the space only.
 */
final class GoogleChatSandbox {
    static final String PREFIX = "/googlechat";
    private static final Pattern MESSAGES = Pattern.compile(PREFIX + "/v1/spaces/([A-Za-z0-9_-]{1,128})/messages");
    private static final ObjectMapper JSON = SandboxJson.MAPPER;
    private static final String STYLE = "body{font-family:'Google Sans',Roboto,system-ui,sans-serif;background:#f1f3f4;"
            + "margin:0;padding:1em 2em}.item{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;"
            + "margin:1em 0;padding:1em;max-width:40em}.meta{color:#5f6368;font-size:.85em}.label{color:#5f6368;"
            + "font-size:.8em;margin-top:.5em}.subtitle{color:#5f6368}.button{display:inline-block;margin-top:.6em;"
            + "padding:.4em 1em;background:#1a73e8;color:#fff;border-radius:4px;text-decoration:none}"
            + "pre{white-space:pre-wrap;color:#3c4043}";

    private final RequestLog requests;
    private final Map<String, Integer> failing;

    GoogleChatSandbox(RequestLog requests, Map<String, Integer> failing) {
        this.requests = requests;
        this.failing = failing;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher m = MESSAGES.matcher(path);
            if (method.equals("POST") && m.matches()) {
                post(exchange, m.group(1));
            } else if (method.equals("GET") && (path.equals(PREFIX) || path.equals(PREFIX + "/"))) {
                SandboxHttp.html(exchange, 200, "Google Chat (sandbox)", STYLE, page());
            } else if (method.equals("GET") && path.equals(PREFIX + "/api/messages")) {
                SandboxHttp.json(exchange, 200, messages());
            } else {
                SandboxHttp.json(exchange, 404, error(404, "NOT_FOUND", "no such Google Chat endpoint: " + method
                        + " " + path));
            }
        }
    }

    private void post(HttpExchange exchange, String space) throws IOException {
        String body = SandboxHttp.bodyText(exchange);
        RecordedRequest request = SandboxHttp.record(requests, exchange, body);
        Map<String, String> query = SandboxHttp.parameters(request.query());
        if (query.getOrDefault("key", "").isBlank() || query.getOrDefault("token", "").isBlank()) {
            SandboxHttp.json(exchange, 400, error(400, "INVALID_ARGUMENT", "the webhook URL needs key and token"));
            return;
        }
        Integer status = failing.get(request.path());
        if (status != null) {
            SandboxHttp.json(exchange, status, error(status, "TOLD_TO_FAIL", "told to answer " + status));
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (JacksonException e) {
            message = null;
        }
        if (message == null || !message.isObject() || !(message.hasNonNull("text") || message.has("cardsV2"))) {
            SandboxHttp.json(exchange, 400, error(400, "INVALID_ARGUMENT", "a message needs text or cardsV2"));
            return;
        }
        ObjectNode created = JSON.createObjectNode();
        created.put("name", "spaces/" + space + "/messages/sandbox-" + request.id());
        created.putObject("space").put("name", "spaces/" + space);
        created.put("createTime", request.receivedAt().toString());
        SandboxHttp.json(exchange, 200, created);
    }

    /** Every message received, newest first: {@code {id, receivedAt, space, message}} (never the key or token). */
    private ArrayNode messages() {
        ArrayNode out = JSON.createArrayNode();
        for (RecordedRequest r : requests.list(r -> r.method().equals("POST") && MESSAGES.matcher(r.path()).matches())) {
            Matcher m = MESSAGES.matcher(r.path());
            m.matches();
            ObjectNode item = out.addObject().put("id", r.id()).put("receivedAt", r.receivedAt().toString())
                    .put("space", m.group(1));
            try {
                item.set("message", JSON.readTree(r.body()));
            } catch (JacksonException e) {
                item.put("error", "not JSON");
            }
        }
        return out;
    }

    /** The messages as a space shows them; texts are already escaped by the sender, so shown as sent (escaped again). */
    private String page() {
        StringBuilder html = new StringBuilder("<p>Webhook URL of a space: <code>http://127.0.0.1:8099/googlechat/v1/"
                + "spaces/&lt;space&gt;/messages?key=…&amp;token=…</code> · <a href=\"/\">all requests</a></p>");
        ArrayNode messages = messages();
        if (messages.isEmpty()) {
            html.append("<p>No messages received yet.</p>");
        }
        for (JsonNode item : messages) {
            html.append("<div class=\"item\"><div class=\"meta\">#").append(item.get("id").asString("")).append(" · ")
                    .append(SandboxHttp.escape(item.get("receivedAt").asString(""))).append(" · spaces/")
                    .append(SandboxHttp.escape(item.get("space").asString(""))).append("</div>");
            JsonNode message = item.path("message");
            JsonNode card = message.at("/cardsV2/0/card");
            if (!card.isMissingNode()) {
                html.append("<h2>").append(text(card.at("/header/title"))).append("</h2><div class=\"subtitle\">")
                        .append(text(card.at("/header/subtitle"))).append("</div>");
                for (JsonNode widget : card.at("/sections/0/widgets")) {
                    if (widget.has("decoratedText")) {
                        html.append("<div class=\"label\">").append(text(widget.at("/decoratedText/topLabel")))
                                .append("</div><div>").append(text(widget.at("/decoratedText/text"))).append("</div>");
                    } else if (widget.has("textParagraph")) {
                        html.append("<p>").append(text(widget.at("/textParagraph/text"))).append("</p>");
                    } else if (widget.has("buttonList")) {
                        for (JsonNode button : widget.at("/buttonList/buttons")) {
                            String url = button.at("/onClick/openLink/url").asString("");
                            html.append("<a class=\"button\" target=\"_blank\" rel=\"noopener\" href=\"")
                                    .append(url.startsWith("https://") || url.startsWith("http://")
                                            ? SandboxHttp.escape(url) : "#")
                                    .append("\">").append(text(button.get("text"))).append("</a> ");
                        }
                    }
                }
            }
            html.append("<pre>").append(text(message.get("text"))).append("</pre></div>");
        }
        return html.toString();
    }

    /** Shows a text the way it was sent: entities the sender wrote appear as written, nothing runs. */
    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() ? "" : SandboxHttp.escape(node.asString(""));
    }

    private static ObjectNode error(int code, String status, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", message).put("status", status);
        return error;
    }
}
