package com.messagingconnectors.integration.slack;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Slack's Events API request URL: no API key, Slack signs every request (v0 HMAC of the raw body, 5-minute window).
 * Answers the URL-verification challenge; {@code app_uninstalled} and {@code tokens_revoked} disconnect the team's
 * integrations. Everything else is acknowledged and ignored.
 */
@RestController
class SlackEventsController {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsController.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Slack's events are a few KB; far more is not Slack. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private final SlackProperties properties;
    private final SlackConnector connector;
    private final Clock clock;

    SlackEventsController(SlackProperties properties, SlackConnector connector) {
        this.properties = properties;
        this.connector = connector;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/slack/events")
    ResponseEntity<?> event(@RequestHeader(name = "X-Slack-Request-Timestamp", required = false) String timestamp,
                            @RequestHeader(name = "X-Slack-Signature", required = false) String signature,
                            HttpServletRequest request) throws IOException {
        if (properties.signingSecret() == null || properties.signingSecret().isBlank()) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "the Slack signing secret is not configured"
                    + " (SLACK_SIGNING_SECRET); events cannot be verified");
        }
        // The raw bytes, whatever the Content-Type: the signature is over them. (@RequestBody byte[] rebuilds a
        // form-encoded body from parsed parameters, and a body that does not parse as a form ended in a plain 400.)
        byte[] raw = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (raw.length > MAX_BODY_BYTES) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String refused = new SlackSignatureVerifier(properties.signingSecret(), clock).problem(timestamp, signature, raw);
        if (refused != null) {
            log.warn("slack event refused: {}", refused);
            return problem(HttpStatus.UNAUTHORIZED, "not a genuine Slack request: " + refused);
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(raw);
        } catch (JacksonException e) {
            return problem(HttpStatus.BAD_REQUEST, "the body is not JSON");
        }
        String type = payload.path("type").asString("");
        if ("url_verification".equals(type)) {
            return ResponseEntity.ok(Map.of("challenge", payload.path("challenge").asString("")));
        }
        if ("event_callback".equals(type)) {
            String teamId = payload.path("team_id").asString(null);
            JsonNode event = payload.path("event");
            String eventType = event.path("type").asString("");
            String eventId = payload.path("event_id").asString("");
            switch (eventType) {
                case "app_uninstalled" -> {
                    int marked = connector.markRevoked(teamId, List.of(), "the Slack app was uninstalled");
                    log.info("slack event={} type=app_uninstalled team={} integrations={}", eventId, teamId, marked);
                }
                case "tokens_revoked" -> {
                    List<String> bots = new ArrayList<>();
                    event.path("tokens").path("bot").forEach(b -> bots.add(b.asString("")));
                    // only user tokens revoked: our bot token still works
                    int marked = bots.isEmpty() ? 0
                            : connector.markRevoked(teamId, bots, "the Slack app's bot token was revoked");
                    log.info("slack event={} type=tokens_revoked team={} integrations={}", eventId, teamId, marked);
                }
                default -> log.debug("slack event={} type={} ignored", eventId, eventType);
            }
        }
        return ResponseEntity.ok(Map.of("ok", true));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
