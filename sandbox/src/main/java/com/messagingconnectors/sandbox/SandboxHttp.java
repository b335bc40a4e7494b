package com.messagingconnectors.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The small HTTP pieces the sandbox and its stand-ins (Slack, Microsoft) share: answers (raw, JSON, a simple HTML
 * page), query/form parameters, HTML escaping, reading a request body within {@link #MAX_BODY_BYTES}, and recording a
 * delivery in the request log.
 */
final class SandboxHttp {
    /**
     * The largest request body any sandbox path reads (the real receivers take less: Slack's 40,000-character
     * messages, Teams' 28 KB cards). A larger one is answered 413 and the connection closed.
     */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SandboxHttp.class);
    private static final ObjectMapper JSON = SandboxJson.MAPPER;

    private SandboxHttp() {
    }

    /** A request body over {@link #MAX_BODY_BYTES}, already answered 413 by {@link #body}. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("the request body is larger than " + MAX_BODY_BYTES + " bytes", null);
        }
    }

    /**
     * The request body, at most {@link #MAX_BODY_BYTES}: a larger declared Content-Length is refused before a byte is
     * read, a chunked body as soon as it passes the limit (nothing beyond it is kept). A refused body is answered 413
     * (problem+json) and the connection closed rather than the rest read; then {@link BodyTooLarge} ends the handler,
     * which {@link #limited} expects.
     */
    static byte[] body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean tooLarge;
        try {
            tooLarge = declared != null && Long.parseLong(declared.strip()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            tooLarge = false; // the server itself refuses a malformed Content-Length before a handler runs
        }
        byte[] body = tooLarge ? null : exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (tooLarge || body.length > MAX_BODY_BYTES) {
            BodyTooLarge refused = new BodyTooLarge();
            exchange.getResponseHeaders().set("Connection", "close");
            send(exchange, 413, "application/problem+json", JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("title", "Content Too Large").put("status", 413).put("detail", refused.getMessage())));
            // out now: the server then reads at most its drain amount (64 KB) of the rest before it closes
            exchange.getResponseBody().close();
            throw refused;
        }
        return body;
    }

    /** {@link #body} as UTF-8 text. */
    static String bodyText(HttpExchange exchange) throws IOException {
        return new String(body(exchange), StandardCharsets.UTF_8);
    }

    /** {@code handler}, for which a body refused by {@link #body} (already answered) is no failure. */
    static HttpHandler limited(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (BodyTooLarge e) {
                log.info("refused {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        e.getMessage());
            }
        };
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    /** A small page: {@code title} as heading, then {@code content} (already HTML); {@code style} is the CSS. */
    static void html(HttpExchange exchange, int status, String title, String style, String content)
            throws IOException {
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>" + style + "</style></head><body><h1>" + escape(title) + "</h1>" + content
                + "</body></html>";
        send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** {@code a=1&b=x%20y} (a raw query or a form body; null or empty → empty) → {a=1, b=x y}. */
    static Map<String, String> parameters(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    /** Keeps a delivery in the request log (the Authorization header hidden), so the pages can show it. */
    static RecordedRequest record(RequestLog requests, HttpExchange exchange, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            headers.put(lower, lower.equals("authorization") ? List.of("Bearer (hidden)") : List.copyOf(values));
        });
        URI uri = exchange.getRequestURI();
        boolean truncated = body.length() > RequestLog.MAX_BODY_CHARS;
        RecordedRequest request = new RecordedRequest(requests.nextId(), Instant.now(), exchange.getRequestMethod(),
                uri.getPath(), uri.getRawQuery(), headers,
                truncated ? body.substring(0, RequestLog.MAX_BODY_CHARS) : body, truncated);
        requests.add(request);
        log.info("received #{} {} {} ({} chars)", request.id(), request.method(), request.path(), body.length());
        return request;
    }
}
