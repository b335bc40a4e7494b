package com.messagingconnectors.integration.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

import java.nio.charset.StandardCharsets;

/**
 * The small server-rendered pages a browser sees (console login, the ends of connect flows): no external assets, no
 * script, never cached, never framed, and no Referer leaving them (their URLs can hold one-time tickets).
 */
public final class HtmlPages {
    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private HtmlPages() {
    }

    /** A page with a title and one paragraph of advice; both are escaped. */
    public static ResponseEntity<String> message(HttpStatus status, String title, String text) {
        return page(status, title, "<p>" + HtmlUtils.htmlEscape(text) + "</p>");
    }

    /** The end of a connect flow: a message and the way on to the integration's settings in the console. */
    public static ResponseEntity<String> connected(String title, String text, String integrationId) {
        return page(HttpStatus.OK, title, "<p>" + HtmlUtils.htmlEscape(text) + "</p><p><a href=\"/console/integrations/"
                + HtmlUtils.htmlEscape(integrationId) + "\">Continue to the integration's settings</a></p>");
    }

    /** A page whose body is {@code bodyHtml} as given: the caller escapes what it puts in. */
    public static ResponseEntity<String> page(HttpStatus status, String title, String bodyHtml) {
        return builder(status).body(html(title, bodyHtml));
    }

    /** The headers every page gets, for answers that add their own (cookies). */
    public static ResponseEntity.BodyBuilder builder(HttpStatus status) {
        return ResponseEntity.status(status).contentType(HTML)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                // no form-action: browsers apply it to the redirects after a form, and the login redirects on to
                // Slack or Microsoft
                .header("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
    }

    public static String html(String title, String bodyHtml) {
        String escaped = HtmlUtils.htmlEscape(title);
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escaped
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;"
                + "line-height:1.5}h1{font-size:1.4em}label,input,button{display:block;font:inherit}"
                + "input{width:100%;box-sizing:border-box;margin:.3em 0 1em;padding:.4em}.error{color:#a00}</style></head><body><h1>"
                + escaped + "</h1>" + bodyHtml + "</body></html>";
    }
}
