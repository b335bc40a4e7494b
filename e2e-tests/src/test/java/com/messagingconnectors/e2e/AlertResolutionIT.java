package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Alerts that resolve in place, black box through the HTTP APIs as a workspace admin and a platform service use them,
 * on the run's shared {@link ChatStack}: integration-service, ingest-service, router-service, slack-sender and
 * teams-sender run as processes, the sandbox (in this JVM) plays slack.com and Microsoft. Connect → a rule for {@code
 * alert.*} → alert.triggered → the alert's message → alert.resolved with the same alertId → in Slack the same message
 * now shows it resolved (chat.update with its ts, no second message); in Teams the resolution is a reply to the alert's
 * card.
 */
class AlertResolutionIT extends OnChatStack {
    private static final String ADMIN_API_KEY = ChatStack.ADMIN_API_KEY;

    @Test
    void aResolvedAlertUpdatesItsSlackMessageInPlace() throws Exception {
        String ws = "ws_resolve_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();

        String id = admin.connectSlack(base);
        JsonNode channels = admin.api("GET", base + "/" + id + "/slack/channels", null, 200).get("channels");
        String general = AdminSession.idNamed(channels, "#general");
        String onCall = AdminSession.idNamed(channels, "#on-call");
        admin.api("PUT", base + "/" + id, """
                {"name": "Slack", "notificationTypes": {"alert.triggered": true, "alert.resolved": true},
                 "channels": [{"id": "%1$s", "name": "#general"}, {"id": "%2$s", "name": "#on-call"}],
                 "defaultChannelId": "%1$s",
                 "rules": [{"id": "alerts", "name": "Alerts to on-call", "match": {"types": ["alert.*"]},
                            "channelId": "%2$s"}]}
                """.formatted(general, onCall), 200);
        admin.awaitRouterSawTheChange(routerWorkspaces);

        String alertId = "al-" + UUID.randomUUID().toString().substring(0, 8);
        String alertName = "CPU " + alertId;
        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.triggered", "CPU above 90 % on db-1", triggered(alertId, alertName));
        JsonNode alert = awaitMessage(m -> m.toString().contains(alertName));
        assertThat(alert.get("channel").asString("")).isEqualTo(onCall);
        String ts = alert.get("ts").asString("");
        assertThat(alert.has("edited")).isFalse();

        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.resolved", "CPU back to normal on db-1", resolved(alertId, alertName));
        JsonNode updated = awaitMessage(m -> ts.equals(m.path("ts").asString("")) && m.path("edited").asBoolean(false));
        assertThat(updated.get("channel").asString("")).isEqualTo(onCall);
        assertThat(updated.get("text").asString("")).startsWith("✅ Resolved: 🚨 Alert triggered: " + alertName);
        assertThat(updated.at("/blocks/0/text/text").asString("")).isEqualTo("✅ Resolved: 🚨 Alert triggered: " + alertName);
        assertThat(updated.get("blocks").toString()).contains("CPU above 90 % on db-1");
        assertThat(updated.at("/attachments/0/color").asString("")).isEqualTo("#2eb886");
        assertThat(updated.get("attachments").toString()).contains("CPU back to normal on db-1");
        // one message for the alert: updated, not posted again
        List<JsonNode> aboutTheAlert = new ArrayList<>();
        messages().forEach(m -> {
            if (m.toString().contains(alertName)) {
                aboutTheAlert.add(m);
            }
        });
        assertThat(aboutTheAlert).hasSize(1);
    }

    @Test
    void aResolvedAlertIsAReplyToItsTeamsCard() throws Exception {
        String ws = "ws_resolvet_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();

        String id = admin.api("POST", base, "{\"kind\":\"teams\",\"name\":\"Teams\"}", 201).get("id").asString("");
        String startUrl = admin.api("POST", base + "/" + id + "/teams:connect", null, 200).get("startUrl").asString("");
        HttpResponse<String> start = admin.openConnectLink(startUrl);
        assertThat(start.statusCode()).isEqualTo(302);
        HttpResponse<String> consent = admin.get(AdminSession.location(start));
        HttpResponse<String> connected = admin.get(AdminSession.buttonLink(consent.body(), "id=\"accept\" href=\"([^\"]+)\""));
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        JsonNode teams = admin.api("GET", base + "/" + id + "/teams/teams", null, 200).get("teams");
        String teamId = AdminSession.idNamed(teams, "Analytics");
        JsonNode channels = admin.api("GET", base + "/" + id + "/teams/teams/" + enc(teamId) + "/channels", null, 200)
                .get("channels");
        String channelId = AdminSession.idNamed(channels, "Alerts");
        admin.api("PUT", base + "/" + id, """
                {"name": "Teams", "notificationTypes": {"alert.triggered": true, "alert.resolved": true},
                 "channels": [{"id": "%1$s", "name": "Alerts", "teamId": "%2$s"}], "defaultChannelId": "%1$s",
                 "rules": [{"id": "alerts", "name": "Alerts", "match": {"types": ["alert.*"]}, "channelId": "%1$s"}]}
                """.formatted(channelId, teamId), 200);
        admin.awaitRouterSawTheChange(routerWorkspaces);

        String alertId = "al-" + UUID.randomUUID().toString().substring(0, 8);
        String alertName = "Queue " + alertId;
        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.triggered", "Queue depth above 1000", triggered(alertId, alertName));
        JsonNode alert = awaitCard(c -> c.path("card").toString().contains("Alert: " + alertName));
        String messages = "/microsoft/graph/v1.0/teams/" + teamId + "/channels/" + channelId + "/messages";
        assertThat(alert.get("path").asString("")).isEqualTo(messages);

        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.resolved", "Queue drained", resolved(alertId, alertName));
        JsonNode reply = awaitCard(c -> c.path("card").toString().contains("Resolved: " + alertName));
        assertThat(reply.get("path").asString("")).startsWith(messages + "/").endsWith("/replies");
        assertThat(reply.get("replyTo").asString("")).isNotBlank();
        assertThat(reply.get("card").toString()).contains("Queue drained", "\"style\":\"good\"");
    }

    private static String triggered(String alertId, String alertName) {
        return """
                {"alertId": "%s", "alertName": "%s", "metric": "cpu", "comparator": ">", "threshold": 90, "value": 97}
                """.formatted(alertId, alertName);
    }

    private static String resolved(String alertId, String alertName) {
        return """
                {"alertId": "%s", "alertName": "%s", "resolvedAt": "2026-11-28T08:20:00Z", "value": 41}
                """.formatted(alertId, alertName);
    }

    private static JsonNode messages() throws Exception {
        return stack.slackMessages();
    }

    private static JsonNode awaitMessage(Predicate<JsonNode> wanted) {
        return stack.awaitSlackMessage(wanted);
    }

    private static JsonNode awaitCard(Predicate<JsonNode> wanted) {
        return stack.awaitTeamsCard(wanted);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
