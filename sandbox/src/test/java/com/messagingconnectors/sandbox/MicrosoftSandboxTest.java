package com.messagingconnectors.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Microsoft stand-in clicked through the way integration-service and teams-sender use it. */
class MicrosoftSandboxTest {
    static final ObjectMapper JSON = SandboxJson.MAPPER;
    final HttpClient http = HttpClient.newHttpClient();
    SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = new SandboxServer(0).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void signInPickAndPostACardThatShowsOnTheTeamsPage() throws Exception {
        String verifier = "v".repeat(43);
        String redirect = "http://127.0.0.1:8085/oauth/microsoft/callback";
        var consent = get("/microsoft/login/organizations/oauth2/v2.0/authorize?client_id=app&response_type=code"
                + "&redirect_uri=" + enc(redirect) + "&scope=" + enc("offline_access ChannelMessage.Send")
                + "&state=st1&code_challenge=" + MicrosoftSandbox.s256(verifier) + "&code_challenge_method=S256", null);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Accept", "ChannelMessage.Send");
        Matcher accept = Pattern.compile("id=\"accept\" href=\"([^\"]+)\"").matcher(consent.body());
        assertThat(accept.find()).isTrue();
        String back = accept.group(1).replace("&amp;", "&");
        assertThat(back).startsWith(redirect + "?code=").contains("state=st1");
        String code = URLDecoder.decode(back.replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

        var wrongVerifier = post("/microsoft/login/organizations/oauth2/v2.0/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=app&client_secret=s&code=" + enc(code) + "&redirect_uri="
                        + enc(redirect) + "&code_verifier=wrong", null);
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.body()).contains("invalid_grant");
        // the code is used up by the failed attempt, as Microsoft does; sign in again
        consent = get("/microsoft/login/organizations/oauth2/v2.0/authorize?client_id=app&response_type=code"
                + "&redirect_uri=" + enc(redirect) + "&state=st2&code_challenge=" + MicrosoftSandbox.s256(verifier)
                + "&code_challenge_method=S256", null);
        accept = Pattern.compile("id=\"accept\" href=\"([^\"]+)\"").matcher(consent.body());
        assertThat(accept.find()).isTrue();
        code = URLDecoder.decode(accept.group(1).replace("&amp;", "&").replaceAll(".*code=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);
        JsonNode tokens = JSON.readTree(post("/microsoft/login/organizations/oauth2/v2.0/token",
                "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=app&client_secret=s&code="
                        + enc(code) + "&redirect_uri=" + enc(redirect) + "&code_verifier=" + verifier, null).body());
        String access = tokens.get("access_token").asString("");
        assertThat(tokens.get("refresh_token").asString("")).isNotBlank();

        JsonNode teams = JSON.readTree(get("/microsoft/graph/v1.0/me/joinedTeams", access).body());
        assertThat(teams.findValuesAsString("displayName")).contains("Analytics", "Security");
        JsonNode channels = JSON.readTree(get("/microsoft/graph/v1.0/teams/team-analytics/channels", access).body());
        assertThat(channels.findValuesAsString("id")).contains("19:analytics-alerts@thread.tacv2");

        String card = "{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"Hello\"}]}";
        String message = JSON.createObjectNode().set("attachments", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("id", "a1").put("contentType", "application/vnd.microsoft.card.adaptive").put("content", card)))
                .toString();
        var posted = post("/microsoft/graph/v1.0/teams/team-analytics/channels/"
                + enc("19:analytics-alerts@thread.tacv2") + "/messages", "application/json", message, access);
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(post("/microsoft/graph/v1.0/teams/team-analytics/channels/gone/messages", "application/json",
                message, access).statusCode()).isEqualTo(404);
        assertThat(post("/microsoft/graph/v1.0/teams/team-analytics/channels/"
                + enc("19:analytics-alerts@thread.tacv2") + "/messages", "application/json", message, "bad")
                .statusCode()).isEqualTo(401);

        JsonNode cards = JSON.readTree(get("/microsoft/api/cards", null).body());
        assertThat(cards).hasSize(1);
        assertThat(cards.at("/0/card/body/0/text").asString("")).isEqualTo("Hello");
        assertThat(get("/microsoft/teams", null).body()).contains("/microsoft/adaptivecards.min.js");

        // revoking every sign-in makes the refresh fail as a revoked grant does
        post("/microsoft/admin/revoke", "application/json", "", null);
        var refresh = post("/microsoft/login/organizations/oauth2/v2.0/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=app&client_secret=s&refresh_token="
                        + enc(tokens.get("refresh_token").asString("")), null);
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(refresh.body()).contains("invalid_grant", "AADSTS50173");
    }

    @Test
    void aChannelMessageCanBeAnsweredWithAReply() throws Exception {
        String verifier = "w".repeat(43);
        String redirect = "http://127.0.0.1:8085/oauth/microsoft/callback";
        var consent = get("/microsoft/login/organizations/oauth2/v2.0/authorize?client_id=app&response_type=code"
                + "&redirect_uri=" + enc(redirect) + "&scope=" + enc("offline_access ChannelMessage.Send")
                + "&state=st1&code_challenge=" + MicrosoftSandbox.s256(verifier) + "&code_challenge_method=S256", null);
        Matcher accept = Pattern.compile("id=\"accept\" href=\"([^\"]+)\"").matcher(consent.body());
        assertThat(accept.find()).isTrue();
        String code = URLDecoder.decode(accept.group(1).replace("&amp;", "&").replaceAll(".*code=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);
        String access = JSON.readTree(post("/microsoft/login/organizations/oauth2/v2.0/token",
                "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=app&client_secret=s&code="
                        + enc(code) + "&redirect_uri=" + enc(redirect) + "&code_verifier=" + verifier, null).body())
                .get("access_token").asString("");
        String channel = "/microsoft/graph/v1.0/teams/team-analytics/channels/" + enc("19:analytics-alerts@thread.tacv2")
                + "/messages";
        String card = "{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"%s\"}]}";
        String alert = JSON.createObjectNode().set("attachments", JSON.createArrayNode().add(JSON.createObjectNode()
                .put("id", "a1").put("contentType", "application/vnd.microsoft.card.adaptive")
                .put("content", card.formatted("CPU high")))).toString();
        String resolved = alert.replace("CPU high", "Resolved: CPU");

        String id = JSON.readTree(post(channel, "application/json", alert, access).body()).get("id").asString("");
        var reply = post(channel + "/" + id + "/replies", "application/json", resolved, access);
        assertThat(reply.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(reply.body()).get("id").asString("")).isNotEqualTo(id);
        assertThat(post(channel + "/424242/replies", "application/json", resolved, access).statusCode()).isEqualTo(404);

        JsonNode cards = JSON.readTree(get("/microsoft/api/cards", null).body());
        assertThat(cards).hasSize(2);
        assertThat(cards.at("/0/replyTo").asString("")).isEqualTo(id);
        assertThat(cards.at("/0/card/body/0/text").asString("")).isEqualTo("Resolved: CPU");
        assertThat(cards.at("/1/replyTo").isMissingNode()).isTrue();
    }

    @Test
    void aWorkflowsUrlAcceptsAndRecordsTheEnvelope() throws Exception {
        var posted = post("/microsoft/workflows/wf1?sig=x", "application/json",
                "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                        + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[]}}]}", null);
        assertThat(posted.statusCode()).isEqualTo(202);
        JsonNode cards = JSON.readTree(get("/microsoft/api/cards", null).body());
        assertThat(cards.at("/0/mode").asString("")).isEqualTo("workflow");
        assertThat(cards.at("/0/card/type").asString("")).isEqualTo("AdaptiveCard");

        // a flood of webhook deliveries fills the shared request log, but the Teams page keeps its cards
        for (int i = 0; i < 1001; i++) {
            post("/webhook", "application/json", "{}", null);
        }
        assertThat(JSON.readTree(get("/microsoft/api/cards", null).body()).at("/0/path").asString(""))
                .isEqualTo("/microsoft/workflows/wf1");
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(sandbox.url() + path));
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String type, String body, String bearer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(sandbox.url() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
