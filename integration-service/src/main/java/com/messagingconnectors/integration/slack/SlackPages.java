package com.messagingconnectors.integration.slack;

import com.messagingconnectors.integration.web.HtmlPages;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The small HTML pages the admin's browser lands on at the end of the connect flow. Never a stack trace. */
final class SlackPages {
    private SlackPages() {
    }

    static ResponseEntity<String> success(String teamName, String integrationId) {
        return HtmlPages.connected("Slack connected to " + teamName,
                "Next, choose the default channel for notifications in the integration's settings.", integrationId);
    }

    static ResponseEntity<String> error(HttpStatus status, String title, String advice) {
        return HtmlPages.message(status, title, advice);
    }
}
