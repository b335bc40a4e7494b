package com.messagingconnectors.integration.slack;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/** The small HTML pages the admin's browser lands on at the end of the connect flow. Never a stack trace. */
final class SlackPages {
    private SlackPages() {
    }

    static ResponseEntity<String> success(String teamName) {
        return page(HttpStatus.OK, "Slack connected to " + teamName,
                "You can close this window and choose the channels for notifications in the integration settings.");
    }

    static ResponseEntity<String> error(HttpStatus status, String title, String advice) {
        return page(status, title, advice);
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String text) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5}</style>
                </head><body><h1>%1$s</h1><p>%2$s</p></body></html>
                """.formatted(HtmlUtils.htmlEscape(title), HtmlUtils.htmlEscape(text));
        return ResponseEntity.status(status).contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").body(html);
    }
}
