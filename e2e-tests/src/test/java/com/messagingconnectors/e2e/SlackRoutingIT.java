package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The product's routing example, black box and through the HTTP APIs only, as a workspace admin does it, on the run's
 * shared {@link ChatStack}: integration-service, ingest-service, router-service and slack-sender run as processes; the
 * sandbox (in this JVM) plays slack.com, OAuth pages included, and records what slack-sender actually posted. Connect
 * Slack → pick #general as the default channel → rule report.completed → #analytics-team → events posted to ingest
 * arrive in the right channel. Then the app's token stops working, and the admin sees why in the integrations API.
 */
class SlackRoutingIT extends OnChatStack {
    @Test
    void reportCompletedGoesToAnalyticsTeamOtherTypesToTheDefaultChannel() throws Exception {
        String ws = "ws_slack_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();

        // Integrations → Catalog → Slack → Connect
        String id = admin.api("POST", base, "{\"kind\":\"slack\",\"name\":\"Slack\"}", 201).get("id").asString("");
        String startUrl = admin.api("POST", base + "/" + id + "/slack:connect", null, 200).get("startUrl").asString("");
        // the link leads through the console login (signing in with the admin's key) to the provider
        HttpResponse<String> start = admin.openConnectLink(startUrl);
        assertThat(start.statusCode()).isEqualTo(302);
        URI authorize = AdminSession.location(start);
        assertThat(authorize.toString()).startsWith(sandbox.url() + "/slack/oauth/v2/authorize?");
        HttpResponse<String> allowPage = admin.get(authorize);
        assertThat(allowPage.statusCode()).isEqualTo(200);
        assertThat(allowPage.body()).contains("Sandbox Team");
        // Allow → back to integration-service's callback with code and state; the flow cookie goes along
        HttpResponse<String> connected = admin.get(AdminSession.buttonLink(allowPage.body(),
                "<a class=\"button\" href=\"([^\"]+)\">Allow</a>"));
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).contains("Slack connected to Sandbox Team");

        // the channel picker
        JsonNode channels = admin.api("GET", base + "/" + id + "/slack/channels", null, 200).get("channels");
        String general = AdminSession.idNamed(channels, "#general");
        String analytics = AdminSession.idNamed(channels, "#analytics-team");

        // default #general, rule report.completed → #analytics-team
        admin.api("PUT", base + "/" + id, """
                {"name": "Slack", "notificationTypes": {"report.completed": true, "user.invited": true},
                 "channels": [{"id": "%1$s", "name": "#general"}, {"id": "%2$s", "name": "#analytics-team"}],
                 "defaultChannelId": "%1$s",
                 "rules": [{"id": "reports", "name": "Reports to analytics",
                            "match": {"types": ["report.completed"]}, "channelId": "%2$s"}]}
                """.formatted(general, analytics), 200);
        admin.awaitRouterSawTheChange(routerWorkspaces);
        String workspaceKey = admin.api("POST", "/v1/workspaces/" + ws + "/api-keys", "{\"name\":\"platform\"}", 201)
                .get("key").asString("");

        String report = "Weekly revenue " + UUID.randomUUID().toString().substring(0, 6);
        String reportEventId = admin.ingestEvent(workspaceKey, ws, "report.completed", "\"" + report + "\" finished",
                "{\"reportId\": \"r-42\", \"reportName\": \"" + report + "\", \"rowCount\": 1200}");
        JsonNode reportMessage = awaitMessage(report);
        assertThat(reportMessage.get("channel").asString("")).isEqualTo(analytics);
        assertThat(reportMessage.get("blocks").get(0).get("type").asString("")).isEqualTo("header");
        assertThat(reportMessage.get("blocks").get(0).at("/text/text").asString("")).contains(report);
        assertThat(reportMessage.get("text").asString("")).contains(report);

        String invitee = "ann-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        admin.ingestEvent(workspaceKey, ws, "user.invited", "Ann was invited",
                "{\"userEmail\": \"" + invitee + "\", \"invitedBy\": \"bob@example.com\"}");
        JsonNode inviteMessage = awaitMessage(invitee);
        assertThat(inviteMessage.get("channel").asString("")).isEqualTo(general);

        // not in #general: the router wrote every notification of the report in one transaction, so the topic
        // holds them all by now; the sandbox got none in #general
        assertThat(notificationTargets(reportEventId)).containsExactly(analytics);
        assertThat(messages()).noneSatisfy(m -> {
            assertThat(m.get("channel").asString("")).isEqualTo(general);
            assertThat(m.toString()).contains(report);
        });

        // the app loses access in Slack: the next post is refused and the admin sees why
        assertThat(admin.post(URI.create(sandbox.url() + "/slack/admin/uninstall")).statusCode()).isEqualTo(200);
        try {
            admin.ingestEvent(workspaceKey, ws, "report.completed", "another report",
                    "{\"reportId\": \"r-43\", \"reportName\": \"Monthly churn\", \"rowCount\": 10}");
            await("the integration's status shows the dead token").atMost(ChatStack.DELIVERY)
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        JsonNode status = admin.api("GET", base + "/" + id, null, 200).get("status");
                        assertThat(status.get("state").asString("")).isEqualTo("unhealthy");
                        assertThat(status.get("lastError").asString(""))
                                .isEqualTo("the Slack token no longer works (token_revoked); reconnect Slack");
                    });
        } finally {
            // the sandbox is shared with the other classes of the run: the app is installed again for them
            assertThat(admin.post(URI.create(sandbox.url() + "/slack/admin/reinstall")).statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode messages() throws Exception {
        return stack.slackMessages();
    }

    private static JsonNode awaitMessage(String containing) {
        return stack.awaitSlackMessage(m -> m.toString().contains(containing));
    }

    /** The Slack channels the router sent the event to (targets of its notifications on notifications.slack). */
    private static List<String> notificationTargets(String eventId) {
        return stack.committedNotifications("slack").stream()
                .filter(n -> eventId.equals(n.getEvent().getEventId()))
                .map(n -> n.getDestination().getTarget()).toList();
    }
}
