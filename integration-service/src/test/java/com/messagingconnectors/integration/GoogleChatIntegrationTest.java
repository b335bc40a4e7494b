package com.messagingconnectors.integration;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Connecting Google Chat against the running service (production settings: https only, public addresses only): a
 * space's incoming-webhook URL is checked at connect time, stored sealed and never shown again, through the API and
 * the console's form alike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GoogleChatIntegrationTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private static final String TOKEN = "gchat-token-" + UUID.randomUUID();
    private static final String KEY = "AIzaSy-gchat-key-51ac";
    private static final String WEBHOOK = "https://chat.googleapis.com/v1/spaces/AAAAgchat/messages?key=" + KEY
            + "&token=" + TOKEN;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
        registry.add("connectors.schema-registry.url", TestInfrastructure::schemaRegistryUrl);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aSpaceIsConnectedWithItsWebhookUrlWhichIsStoredSealedAndNeverShown() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        String ws = ApiTestClient.workspace();
        String base = "/v1/workspaces/" + ws + "/integrations";

        var created = api.call("POST", base, ADMIN_KEY, """
                {"kind": "googlechat", "name": "Chat", "notificationTypes": {"alert.triggered": true},
                 "channels": [{"id": "oncall", "url": "%s"}], "defaultChannelId": "oncall"}""".formatted(WEBHOOK),
                null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.get("kind").asString("")).isEqualTo("googlechat");
        assertThat(body.at("/channels/0/name").asString("")).isEqualTo("spaces/AAAAgchat");
        String id = body.get("id").asString("");
        var fetched = api.call("GET", base + "/" + id, ADMIN_KEY, null, null);
        for (String shown : List.of(created.body(), fetched.body(), ApiTestClient.configTopicText())) {
            assertThat(shown).doesNotContain(TOKEN).doesNotContain(KEY);
        }
        assertThat(ApiTestClient.configTopicText()).contains(id);

        // the mask given back keeps the stored URL (a rename does not need the secret again)
        var renamed = api.call("PUT", base + "/" + id, ADMIN_KEY, """
                {"name": "Chat", "channels": [{"id": "oncall", "name": "On-call", "url": "%s"}],
                 "defaultChannelId": "oncall"}""".formatted(JSON.readTree(fetched.body()).at("/channels/0/url")
                .asString("")), null);
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(JSON.readTree(renamed.body()).at("/channels/0/name").asString("")).isEqualTo("On-call");
    }

    @Test
    void aUrlThatIsNoSpaceWebhookIsRefusedWithProblemJsonAndNothingIsStored() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        String ws = ApiTestClient.workspace();
        String before = ApiTestClient.configTopicText();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("not a url at all", "must be the space's incoming-webhook URL");
        refused.put("https://hooks.example.com/v1/spaces/AAAA/messages?key=k&token=t",
                "must be the space's incoming-webhook URL");
        refused.put("https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k", "the key and token are missing");
        refused.put("https://chat.googleapis.com/v1/spaces/AAAA/members?key=k&token=t",
                "must be the space's incoming-webhook URL");
        refused.put("http://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=" + TOKEN, "must use https");
        // loopback passes the shape check only for the local stand-in: outside local mode the SSRF policy refuses it
        refused.put("https://localhost/v1/spaces/AAAA/messages?key=k&token=" + TOKEN, "non-public address");
        refused.put("https://127.0.0.1:8443/v1/spaces/AAAA/messages?key=k&token=" + TOKEN,
                "only ports 80 and 443 can be called");

        for (Map.Entry<String, String> url : refused.entrySet()) {
            var answer = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY,
                    "{\"kind\":\"googlechat\",\"name\":\"Chat\",\"channels\":[{\"id\":\"s\",\"url\":\""
                            + url.getKey() + "\"}]}", null);
            assertThat(answer.statusCode()).as(url.getKey()).isEqualTo(422);
            assertThat(answer.headers().firstValue("Content-Type")).as(url.getKey())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode error = JSON.readTree(answer.body()).at("/errors/0");
            assertThat(error.get("field").asString("")).as(url.getKey()).isEqualTo("channels[0].url");
            assertThat(error.get("problem").asString("")).as(url.getKey()).contains(url.getValue());
            assertThat(answer.body()).as(url.getKey()).doesNotContain(TOKEN);
        }
        var noUrl = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY,
                "{\"kind\":\"googlechat\",\"name\":\"Chat\",\"channels\":[{\"id\":\"s\"}]}", null);
        assertThat(noUrl.statusCode()).isEqualTo(422);
        assertThat(noUrl.body()).contains("channels[0].url", "is required");
        assertThat(ApiTestClient.configTopicText()).as("nothing refused reached connectors.config").isEqualTo(before);
    }

    @Test
    void theConsolesAddSpaceFormCreatesTheIntegrationAndShowsTheFieldProblem() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        String ws = ApiTestClient.workspace();
        String key = JSON.readTree(api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"admin\",\"scopes\":[\"integrations:read\",\"integrations:write\"]}", null).body())
                .get("key").asString("");
        String session = api.consoleLogin(key);
        HttpResponse<String> form = api.browserGet("/console/catalog/googlechat", session);
        assertThat(form.body()).contains("Space webhook URL");
        String token = csrf(form);
        Map<String, String> sameOrigin = Map.of("Origin", api.base(), "Sec-Fetch-Site", "same-origin");

        var bad = api.browserPost("/console/catalog/googlechat",
                Map.of("_csrf", token, "name", "Chat", "url", "https://hooks.example.com/x"), session, sameOrigin);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("incoming-webhook URL, https://chat.googleapis.com").contains("aria-invalid=\"true\"");

        var added = api.browserPost("/console/catalog/googlechat",
                Map.of("_csrf", token, "name", "Chat", "url", WEBHOOK), session, sameOrigin);
        assertThat(added.statusCode()).as(added.body()).isIn(302, 303);
        String location = added.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/console/integrations/int_").endsWith("?notice=space-added");
        var settings = api.browserGet(location.substring(location.indexOf("/console")), session);
        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(settings.body()).contains("The Google Chat space is added").doesNotContain(TOKEN)
                .doesNotContain("Connect Microsoft Teams");
    }

    private static String csrf(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("the page carries its CSRF token").isTrue();
        return m.group(1);
    }
}
