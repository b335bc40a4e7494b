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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * The small HTTP pieces the sandbox and its stand-ins (Slack, Microsoft) share: answers (raw, JSON, a simple HTML
 * page), query/form parameters, HTML escaping, and recording a delivery in the request log.
 */
final class SandboxHttp {
    private static final Logger log = LoggerFactory.getLogger(SandboxHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxHttp() {
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
