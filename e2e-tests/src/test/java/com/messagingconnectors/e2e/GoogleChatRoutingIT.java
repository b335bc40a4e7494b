package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Google Chat end to end, black box and through the HTTP APIs only, as a workspace admin does it, on the run's shared
 * {@link ChatStack}: integration-service, ingest-service, router-service and googlechat-sender run as processes; the
 * sandbox (in this JVM) plays Google Chat's incoming webhooks and records what googlechat-sender actually posted.
 * Connect two spaces by their webhook URLs → rule alert.triggered → the on-call space, everything else → the team space
 * → events posted to ingest arrive as Cards v2 messages in the right space. Then the on-call webhook is deleted in
 * Google Chat (404), and the admin sees why in the integrations API.
 */
class GoogleChatRoutingIT extends OnChatStack {
    @Test
    void alertsGoToTheOnCallSpaceOtherTypesToTheTeamSpace() throws Exception {
        String ws = "ws_gchat_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();
        String team = "TEAM" + UUID.randomUUID().toString().substring(0, 8);
        String onCall = "ONCALL" + UUID.randomUUID().toString().substring(0, 8);

        // Integrations → Catalog → Google Chat → Add space (the webhook URLs copied from each space)
        JsonNode created = admin.api("POST", base, """
                {"kind": "googlechat", "name": "Google Chat",
                 "notificationTypes": {"alert.triggered": true, "user.invited": true},
                 "channels": [{"id": "team", "url": "%s"}, {"id": "oncall", "url": "%s"}],
                 "defaultChannelId": "team",
                 "rules": [{"id": "alerts", "match": {"types": ["alert.triggered"]}, "channelId": "oncall"}]}
                """.formatted(webhookUrl(team), webhookUrl(onCall)), 201);
        String id = created.get("id").asString("");
        assertThat(created.toString()).doesNotContain("e2e-token");
        admin.awaitRouterSawTheChange(routerWorkspaces);
        String workspaceKey = admin.api("POST", "/v1/workspaces/" + ws + "/api-keys", "{\"name\":\"platform\"}", 201)
                .get("key").asString("");

        String alert = "Error rate " + UUID.randomUUID().toString().substring(0, 6);
        admin.ingestEvent(workspaceKey, ws, "alert.triggered", "Error rate above 5 % <users/all>", """
                {"alertId": "al-1", "alertName": "%s", "metric": "http.error_rate", "comparator": ">",
                 "threshold": 5, "value": 9.5}""".formatted(alert));
        JsonNode alertMessage = awaitMessage(alert);
        assertThat(alertMessage.get("space").asString("")).isEqualTo(onCall);
        JsonNode message = alertMessage.get("message");
        assertThat(message.get("text").asString(""))
                .isEqualTo("Error rate above 5 % &lt;users/all&gt;\nhttps://app.example.com/items/1");
        JsonNode card = message.at("/cardsV2/0/card");
        assertThat(card.at("/header/title").asString("")).isEqualTo("Error rate above 5 % &lt;users/all&gt;");
        assertThat(card.at("/header/subtitle").asString("")).isEqualTo("alert.triggered · 2026-11-28 08:15 UTC");
        assertThat(card.at("/sections/0/widgets").findValuesAsString("url")).contains("https://app.example.com/items/1");
        assertThat(card.at("/sections/0/widgets").findValuesAsString("text")).contains(alert);

        String invitee = "ann-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        admin.ingestEvent(workspaceKey, ws, "user.invited", "Ann was invited",
                "{\"userEmail\": \"" + invitee + "\", \"invitedBy\": \"bob@example.com\"}");
        assertThat(awaitMessage(invitee).get("space").asString("")).isEqualTo(team);
        assertThat(messages()).noneSatisfy(m -> {
            assertThat(m.get("space").asString("")).isEqualTo(team);
            assertThat(m.toString()).contains(alert);
        });

        // the on-call space's webhook is deleted in Google Chat: the next alert is refused and the admin sees why
        sandbox.answer("/googlechat/v1/spaces/" + onCall + "/messages", 404);
        admin.ingestEvent(workspaceKey, ws, "alert.triggered", "Error rate still above 5 %", """
                {"alertId": "al-2", "alertName": "again", "metric": "http.error_rate", "comparator": ">",
                 "threshold": 5, "value": 9.9}""");
        await("the integration's status shows the deleted webhook").atMost(ChatStack.DELIVERY)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode status = admin.api("GET", base + "/" + id, null, 200).get("status");
                    assertThat(status.get("state").asString("")).isEqualTo("unhealthy");
                    assertThat(status.get("lastError").asString("")).contains("space webhook rejected: HTTP 404")
                            .doesNotContain("e2e-token");
                });
    }

    private static String webhookUrl(String space) {
        return sandbox.url() + "/googlechat/v1/spaces/" + space + "/messages?key=e2e-key&token=e2e-token-" + space;
    }

    private static JsonNode messages() throws Exception {
        return stack.googleChatMessages();
    }

    private static JsonNode awaitMessage(String containing) {
        return stack.awaitGoogleChatMessage(item -> item.path("message").toString().contains(containing));
    }
}
