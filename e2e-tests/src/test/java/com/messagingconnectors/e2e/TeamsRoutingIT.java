package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Teams admin's path, black box and through the HTTP APIs only, on the run's shared {@link ChatStack}:
 * integration-service, ingest-service, router-service and teams-sender run as processes; the sandbox (in this JVM)
 * plays login.microsoftonline.com (consent page, token endpoint checking the PKCE verifier) and Microsoft Graph, and
 * records the cards. Sign in → pick team and channel → an alert posted to ingest arrives as an Adaptive Card in that
 * channel; the sign-in is revoked → the admin sees the integration unhealthy, with "reconnect". And one integration in
 * Teams Workflows mode.
 */
class TeamsRoutingIT extends OnChatStack {
    private static final Duration DELIVERY = ChatStack.DELIVERY;
    private static final String ADMIN_API_KEY = ChatStack.ADMIN_API_KEY;
    private static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void signInPickTeamAndChannelAndAnAlertArrivesAsAnAdaptiveCard() throws Exception {
        String ws = "ws_teams_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();

        // Integrations → Catalog → Messaging → Microsoft Teams → Connect
        String id = admin.api("POST", base, "{\"kind\":\"teams\",\"name\":\"Teams\"}", 201).get("id").asString("");
        String startUrl = admin.api("POST", base + "/" + id + "/teams:connect", null, 200).get("startUrl").asString("");
        // the link leads through the console login (signing in with the admin's key) to the provider
        HttpResponse<String> start = admin.openConnectLink(startUrl);
        assertThat(start.statusCode()).isEqualTo(302);
        URI authorize = AdminSession.location(start);
        assertThat(authorize.toString())
                .startsWith(sandbox.url() + "/microsoft/login/organizations/oauth2/v2.0/authorize?")
                .contains("code_challenge_method=S256", "code_challenge=", "state=");
        HttpResponse<String> consent = admin.get(authorize);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("ana@contoso.example", "ChannelMessage.Send");
        // Accept → back to integration-service with code and state; the flow cookie goes along, and the stand-in's
        // token endpoint only redeems the code with the verifier whose S256 hash was sent above
        HttpResponse<String> connected = admin.get(AdminSession.buttonLink(consent.body(), "id=\"accept\" href=\"([^\"]+)\""));
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).contains("Microsoft Teams is connected", "ana@contoso.example");

        // the pickers, then choosing team and channel
        JsonNode teams = admin.api("GET", base + "/" + id + "/teams/teams", null, 200).get("teams");
        String teamId = AdminSession.idNamed(teams, "Analytics");
        JsonNode channels = admin.api("GET", base + "/" + id + "/teams/teams/" + enc(teamId) + "/channels", null, 200)
                .get("channels");
        String channelId = AdminSession.idNamed(channels, "Alerts");
        admin.api("PUT", base + "/" + id, """
                {"name": "Teams", "notificationTypes": {"alert.triggered": true},
                 "channels": [{"id": "%1$s", "name": "Alerts", "teamId": "%2$s"}], "defaultChannelId": "%1$s"}
                """.formatted(channelId, teamId), 200);
        admin.awaitRouterSawTheChange(routerWorkspaces);

        String alert = "Error rate " + UUID.randomUUID().toString().substring(0, 6);
        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.triggered", "Error rate above 5 %", alertPayload(alert));
        JsonNode delivered = awaitCard(alert);
        assertThat(delivered.get("mode").asString("")).isEqualTo("graph");
        assertThat(delivered.get("path").asString(""))
                .isEqualTo("/microsoft/graph/v1.0/teams/" + teamId + "/channels/" + channelId + "/messages");
        JsonNode card = delivered.get("card");
        assertThat(card.get("type").asString("")).isEqualTo("AdaptiveCard");
        assertThat(card.findValuesAsString("text")).anySatisfy(t -> assertThat(t).isEqualTo("Alert: " + alert));
        assertThat(card.get("actions")).anySatisfy(action -> {
            assertThat(action.get("type").asString("")).isEqualTo("Action.OpenUrl");
            assertThat(action.get("url").asString("")).isEqualTo("https://app.example.com/items/1");
        });

        // the user's sign-in is revoked at Microsoft: the next delivery is refused, and the admin sees why
        assertThat(admin.post(URI.create(sandbox.url() + "/microsoft/admin/revoke")).statusCode()).isEqualTo(200);
        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.triggered", "Error rate still above 5 %", alertPayload("again"));
        await("the integration's status shows the lost sign-in").atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode status = admin.api("GET", base + "/" + id, null, 200).get("status");
                    assertThat(status.get("state").asString("")).isEqualTo("unhealthy");
                    assertThat(status.get("lastError").asString("")).contains("invalid_grant (AADSTS50173)",
                            "reconnect Microsoft Teams");
                });
    }

    @Test
    void aWorkflowsIntegrationReceivesTheCardInTheMessageEnvelope() throws Exception {
        String ws = "ws_teamswf_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();

        // no sign-in, no channel: the flow in Teams decides where the card goes
        String id = admin.api("POST", base, "{\"kind\": \"teams\", \"name\": \"Teams via Workflows\"}", 201)
                .get("id").asString("");
        String flow = "/microsoft/workflows/e2e-" + UUID.randomUUID();
        admin.api("PUT", base + "/" + id + "/teams/workflow-url",
                "{\"url\": \"" + sandbox.url() + flow + "?sig=e2e-signature\"}", 204);
        assertThat(admin.api("GET", base + "/" + id, null, 200).toString()).doesNotContain("e2e-signature");
        admin.awaitRouterSawTheChange(routerWorkspaces);

        String alert = "Queue depth " + UUID.randomUUID().toString().substring(0, 6);
        admin.ingestEvent(ADMIN_API_KEY, ws, "alert.triggered", "Queue depth above 1000", alertPayload(alert));
        JsonNode posted = await("the workflow received a post").atMost(DELIVERY).pollInterval(Duration.ofMillis(300))
                .until(() -> JSON.readTree(admin.get(URI.create(sandbox.url() + "/api/requests?path=" + enc(flow)))
                        .body()), requests -> !requests.isEmpty()).get(0);
        assertThat(posted.get("query").asString("")).isEqualTo("sig=e2e-signature");
        JsonNode envelope = JSON.readTree(posted.get("body").asString(""));
        assertThat(envelope.get("type").asString("")).isEqualTo("message");
        JsonNode attachment = envelope.get("attachments").get(0);
        assertThat(attachment.get("contentType").asString("")).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.get("content").get("type").asString("")).isEqualTo("AdaptiveCard");
        assertThat(attachment.get("content").findValuesAsString("text")).contains("Alert: " + alert);
    }

    private static String alertPayload(String alertName) {
        return """
                {"alertId": "al-1", "alertName": "%s", "metric": "http.error_rate", "comparator": ">",
                 "threshold": 5, "value": 9.5}""".formatted(alertName);
    }

    /** The sandbox's view of a card that arrived: {path, mode, card}. */
    private static JsonNode awaitCard(String containing) {
        return stack.awaitTeamsCard(item -> item.path("card").toString().contains(containing));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
