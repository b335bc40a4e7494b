package com.messagingconnectors.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Google Chat stand-in as googlechat-sender and a person use it: post to a space's webhook, see the card. */
class GoogleChatSandboxTest {
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
    void aMessagePostedToASpaceIsAnsweredLikeGoogleChatAndShownWithoutItsToken() throws Exception {
        String message = """
                {"text": "Weekly report &lt;ready&gt;", "cardsV2": [{"cardId": "n-1", "card": {
                  "header": {"title": "Weekly report", "subtitle": "report.completed"},
                  "sections": [{"widgets": [
                    {"decoratedText": {"topLabel": "Report name", "text": "<script>x</script>"}},
                    {"buttonList": {"buttons": [{"text": "Open", "onClick": {"openLink": {"url": "https://app.example.com/r/1"}}}]}}]}]}}]}""";

        HttpResponse<String> posted = post("/googlechat/v1/spaces/AAAAsandbox/messages?key=k1&token=secret-tok",
                message);

        assertThat(posted.statusCode()).isEqualTo(200);
        JsonNode created = JSON.readTree(posted.body());
        assertThat(created.get("name").asString("")).startsWith("spaces/AAAAsandbox/messages/");
        assertThat(created.at("/space/name").asString("")).isEqualTo("spaces/AAAAsandbox");

        JsonNode listed = JSON.readTree(get("/googlechat/api/messages").body()).get(0);
        assertThat(listed.get("space").asString("")).isEqualTo("AAAAsandbox");
        assertThat(listed.at("/message/cardsV2/0/card/header/title").asString("")).isEqualTo("Weekly report");
        assertThat(listed.toString()).doesNotContain("secret-tok");

        String page = get("/googlechat").body();
        assertThat(page).contains("Weekly report", "Report name", "href=\"https://app.example.com/r/1\"",
                "spaces/AAAAsandbox").doesNotContain("<script>x").doesNotContain("secret-tok");
    }

    @Test
    void aWebhookWithoutKeyOrTokenOrWithoutAMessageIsRefusedAndAFailingSpaceFails() throws Exception {
        assertThat(post("/googlechat/v1/spaces/S1/messages?key=k1", "{\"text\":\"hi\"}").statusCode()).isEqualTo(400);
        assertThat(post("/googlechat/v1/spaces/S1/messages?key=k1&token=t", "{\"other\":1}").statusCode())
                .isEqualTo(400);

        sandbox.answer("/googlechat/v1/spaces/S404/messages", 404);
        HttpResponse<String> gone = post("/googlechat/v1/spaces/S404/messages?key=k&token=t", "{\"text\":\"hi\"}");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).at("/error/code").asInt(0)).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
