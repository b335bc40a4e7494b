package com.messagingconnectors.integration.slack;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.integration.ApiTestClient;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole Slack connect flow against WireMock standing in for slack.com, on a real broker: connect → start (cookie +
 * redirect to the authorize page) → callback (oauth.v2.access) → token stored encrypted → channel list; each way the
 * callback can go wrong; Slack's signed events disconnecting the integration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlackConnectFlowTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final String KEYS = "test:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final ObjectMapper JSON = Json.MAPPER;
    static final WireMockServer SLACK = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SLACK.start();
        ApiTestClient.serviceProperties(registry, KEYS, ADMIN_KEY);
        registry.add("connectors.slack.client-id", () -> "111.222");
        registry.add("connectors.slack.client-secret", () -> "client-secret-xyz");
        registry.add("connectors.slack.signing-secret", () -> SIGNING_SECRET);
        registry.add("connectors.slack.redirect-uri", () -> "http://127.0.0.1:8085/oauth/slack/callback");
        registry.add("connectors.slack.api-base-url", SLACK::baseUrl);
    }

    @AfterAll
    static void stopSlack() {
        SLACK.stop();
    }

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void connectStoresTheTokenEncryptedAndListsChannels() throws Exception {
        String ws = workspace();
        String id = createSlackIntegration(ws);
        String team = "T" + UUID.randomUUID().toString().substring(0, 8);
        stubTokenExchange("code-" + id, team, "Acme Analytics");

        Browser browser = startConnect(ws, id);
        Map<String, String> authorize = query(browser.location);
        assertThat(browser.location).startsWith(SLACK.baseUrl() + "/oauth/v2/authorize?");
        assertThat(authorize).containsEntry("client_id", "111.222")
                .containsEntry("scope", "chat:write,chat:write.public,channels:read,groups:read")
                .containsEntry("redirect_uri", "http://127.0.0.1:8085/oauth/slack/callback");
        assertThat(browser.cookie).startsWith("mc_connect=");
        assertThat(browser.setCookie).contains("HttpOnly").contains("SameSite=Lax");

        var done = get("/oauth/slack/callback?code=code-" + id + "&state=" + authorize.get("state"), browser.cookie);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Slack connected to Acme Analytics");
        SLACK.verify(postRequestedFor(urlEqualTo("/api/oauth.v2.access")).withRequestBody(containing("code=code-" + id)));

        IntegrationConfig stored = storedIntegration(ws, id);
        assertThat(stored.properties()).containsEntry("slack_team_id", team)
                .containsEntry("slack_team_name", "Acme Analytics").containsEntry("bot_user_id", "U0BOT")
                .containsEntry("scopes", "chat:write,chat:write.public,channels:read,groups:read")
                .containsKey("token_expires_at");
        SecretBox box = SecretBox.fromConfig(KEYS, null);
        assertThat(box.open(stored.credentials().get("bot_token"), SecretPurposes.credential(ws, id, "bot_token")))
                .isEqualTo("xoxb-secret-" + team);
        assertThat(box.open(stored.credentials().get("refresh_token"),
                SecretPurposes.credential(ws, id, "refresh_token"))).isEqualTo("xoxe-1-refresh-" + team);
        assertThat(rawConfigTopic()).doesNotContain("xoxb-secret-" + team).doesNotContain("xoxe-1-refresh-" + team);

        // the channel picker: two pages, archived channels left out, cached for the next call
        SLACK.stubFor(post("/api/conversations.list").withRequestBody(containing("cursor=page2"))
                .willReturn(okJson("""
                        {"ok":true,"channels":[{"id":"C_sec","name":"security","is_private":true,"is_member":true}],
                         "response_metadata":{"next_cursor":""}}""")).atPriority(1));
        SLACK.stubFor(post("/api/conversations.list").willReturn(okJson("""
                {"ok":true,"channels":[{"id":"C_an","name":"analytics-team","is_private":false,"is_member":false},
                 {"id":"C_old","name":"old-stuff","is_archived":true}],"response_metadata":{"next_cursor":"page2"}}"""))
                .atPriority(5));
        var channels = call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/slack/channels", null);
        assertThat(channels.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(channels.body()).get("channels");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asString("")).isEqualTo("C_an");
        assertThat(list.get(0).get("name").asString("")).isEqualTo("#analytics-team");
        assertThat(list.get(1).get("name").asString("")).isEqualTo("#security");
        assertThat(list.get(1).get("isPrivate").asBoolean(false)).isTrue();
        SLACK.verify(postRequestedFor(urlEqualTo("/api/conversations.list"))
                .withHeader("Authorization", containingValue("xoxb-secret-" + team))
                .withRequestBody(containing("exclude_archived=1")).withRequestBody(containing("types=public_channel%2Cprivate_channel")));
        call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/slack/channels", null);
        SLACK.verify(2, postRequestedFor(urlEqualTo("/api/conversations.list")));

        // the admin picks the channel through the integrations API
        var put = call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id, """
                {"name":"Slack","channels":[{"id":"C_an","name":"#analytics-team"}],"defaultChannelId":"C_an"}""");
        assertThat(put.statusCode()).isEqualTo(200);
    }

    @Test
    void cancellingInSlackEndsOnAClearPage() throws Exception {
        String ws = workspace();
        Browser browser = startConnect(ws, createSlackIntegration(ws));
        var page = get("/oauth/slack/callback?error=access_denied&state=" + query(browser.location).get("state"),
                browser.cookie);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("Slack was not connected").contains("cancelled").doesNotContain("Exception");
    }

    @Test
    void forgedReplayedOrOtherBrowserStatesAreRefused() throws Exception {
        String ws = workspace();
        String id = createSlackIntegration(ws);
        stubTokenExchange("good-code", "T_replay", "Replay Inc");

        var forged = get("/oauth/slack/callback?code=good-code&state=made-up", "mc_connect=whatever");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("could not be verified");

        Browser browser = startConnect(ws, id);
        String state = query(browser.location).get("state");
        var otherBrowser = get("/oauth/slack/callback?code=good-code&state=" + state, null);
        assertThat(otherBrowser.statusCode()).isEqualTo(400);
        // the state was used up by that attempt, so even the right browser cannot replay it
        var replay = get("/oauth/slack/callback?code=good-code&state=" + state, browser.cookie);
        assertThat(replay.statusCode()).isEqualTo(400);
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/oauth.v2.access")).withRequestBody(containing("good-code")));

        var usedTicket = get(URI.create(browser.startUrl).getRawPath() + "?" + URI.create(browser.startUrl).getRawQuery(),
                null);
        assertThat(usedTicket.statusCode()).isEqualTo(400);
        assertThat(usedTicket.body()).contains("expired");
    }

    @Test
    void aSlackErrorOnTheCodeExchangeEndsOnAClearPage() throws Exception {
        String ws = workspace();
        Browser browser = startConnect(ws, createSlackIntegration(ws));
        SLACK.stubFor(post("/api/oauth.v2.access").withRequestBody(containing("code=bad-code"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_code\"}")));
        var page = get("/oauth/slack/callback?code=bad-code&state=" + query(browser.location).get("state"),
                browser.cookie);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("invalid_code").doesNotContain("at com.");
    }

    @Test
    void connectIsOnlyForSlackIntegrationsAndNeedsAnApiKey() throws Exception {
        String ws = workspace();
        var webhook = JSON.readTree(call("POST", "/v1/workspaces/" + ws + "/integrations", """
                {"kind":"webhook","name":"Hook","channels":[{"id":"e1","url":"https://hooks.example.com/x"}]}""")
                .body());
        var refused = call("POST", "/v1/workspaces/" + ws + "/integrations/" + webhook.get("id").asString("")
                + "/slack:connect", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).contains("problem+json");
        var anonymous = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/workspaces/" + ws
                + "/integrations/x/slack:connect")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void slackEventsAreVerifiedBySignature() throws Exception {
        String challenge = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";
        long now = Instant.now().getEpochSecond();
        var ok = slackEvent(challenge, now, sign(now, challenge));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("challenge").asString(""))
                .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        var bad = slackEvent(challenge, now, sign(now, challenge.replace("x", "y")));
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).contains("signature does not match").doesNotContain("3eZbrw1");

        long stale = now - 6 * 60;
        var old = slackEvent(challenge, stale, sign(stale, challenge));
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("more than 5 minutes");

        assertThat(slackEvent(challenge, now, null).statusCode()).isEqualTo(401);
    }

    /**
     * Found by IntegrationApiFuzzTest: a signed body sent as a form was rebuilt from parsed form parameters (so the
     * signature was checked over other bytes), and one that does not parse as a form got a plain, non-problem 400.
     */
    @Test
    void theSignatureIsCheckedOverTheRawBodyWhateverItsContentType() throws Exception {
        long now = Instant.now().getEpochSecond();
        String challenge = "{\"type\":\"url_verification\",\"challenge\":\"c-1%zz\"}";
        var ok = slackEvent(challenge, now, sign(now, challenge), "application/x-www-form-urlencoded");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("challenge").asString("")).isEqualTo("c-1%zz");

        String garbage = "%";
        var bad = slackEvent(garbage, now, sign(now, garbage), "application/x-www-form-urlencoded");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(bad.body()).contains("not JSON");
    }

    @Test
    void uninstallingTheAppDisconnectsTheIntegration() throws Exception {
        String ws = workspace();
        String id = createSlackIntegration(ws);
        String team = "T" + UUID.randomUUID().toString().substring(0, 8);
        stubTokenExchange("code-" + id, team, "Gone Corp");
        Browser browser = startConnect(ws, id);
        assertThat(get("/oauth/slack/callback?code=code-" + id + "&state=" + query(browser.location).get("state"),
                browser.cookie).statusCode()).isEqualTo(200);

        String event = """
                {"token":"x","team_id":"%s","api_app_id":"A1","type":"event_callback","event_id":"Ev1",
                 "event_time":1700000000,"event":{"type":"app_uninstalled"}}""".formatted(team);
        long now = Instant.now().getEpochSecond();
        // the reader of Slack installations follows connectors.config; Slack retries until it gets 2xx anyway
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(slackEvent(event, now, sign(now, event)).statusCode()).isEqualTo(200);
            assertThat(storedIntegration(ws, id).properties()).containsEntry("slack_connection", "revoked");
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(call("GET", "/v1/workspaces/" + ws + "/integrations/" + id, null).body())
                    .get("status");
            assertThat(status.get("state").asString("")).isEqualTo("disconnected");
            assertThat(status.get("lastError").asString("")).contains("uninstalled");
        });
        var channels = call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/slack/channels", null);
        assertThat(channels.statusCode()).isEqualTo(409);
        assertThat(channels.body()).contains("connect Slack again");
    }

    @Test
    void rotatingTokensAreRefreshedBeforeTheyExpire() throws Exception {
        String ws = workspace();
        String id = createSlackIntegration(ws);
        String team = "T" + UUID.randomUUID().toString().substring(0, 8);
        // a token that expires in 10 minutes: inside the 30-minute refresh window
        SLACK.stubFor(post("/api/oauth.v2.access").withRequestBody(containing("code=code-" + id)).willReturn(okJson("""
                {"ok":true,"access_token":"xoxb-old-%1$s","token_type":"bot","scope":"chat:write",
                 "bot_user_id":"U0BOT","refresh_token":"xoxe-1-old-%1$s","expires_in":600,
                 "team":{"id":"%1$s","name":"Rotating Ltd"}}""".formatted(team))));
        SLACK.stubFor(post("/api/oauth.v2.access").withRequestBody(containing("refresh_token=xoxe-1-old-" + team))
                .willReturn(okJson("""
                {"ok":true,"access_token":"xoxb-new-%1$s","token_type":"bot","scope":"chat:write",
                 "bot_user_id":"U0BOT","refresh_token":"xoxe-1-new-%1$s","expires_in":43200,
                 "team":{"id":"%1$s","name":"Rotating Ltd"}}""".formatted(team))));
        Browser browser = startConnect(ws, id);
        assertThat(get("/oauth/slack/callback?code=code-" + id + "&state=" + query(browser.location).get("state"),
                browser.cookie).statusCode()).isEqualTo(200);

        SecretBox box = SecretBox.fromConfig(KEYS, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            connector.refreshExpiringTokens();
            IntegrationConfig stored = storedIntegration(ws, id);
            assertThat(box.open(stored.credentials().get("bot_token"), SecretPurposes.credential(ws, id, "bot_token")))
                    .isEqualTo("xoxb-new-" + team);
            assertThat(box.open(stored.credentials().get("refresh_token"),
                    SecretPurposes.credential(ws, id, "refresh_token"))).isEqualTo("xoxe-1-new-" + team);
            assertThat(Instant.parse(stored.properties().get("token_expires_at")))
                    .isAfter(Instant.now().plus(Duration.ofHours(11)));
        });
        SLACK.verify(postRequestedFor(urlEqualTo("/api/oauth.v2.access"))
                .withRequestBody(containing("grant_type=refresh_token")));
    }

    @org.springframework.beans.factory.annotation.Autowired
    SlackConnector connector;

    // ---- helpers

    record Browser(String startUrl, String location, String cookie, String setCookie) {
    }

    private Browser startConnect(String ws, String id) throws Exception {
        var connect = call("POST", "/v1/workspaces/" + ws + "/integrations/" + id + "/slack:connect", null);
        assertThat(connect.statusCode()).isEqualTo(200);
        String startUrl = JSON.readTree(connect.body()).get("startUrl").asString("");
        assertThat(startUrl).startsWith(base() + "/oauth/slack/start?ticket=");
        // the admin's browser is signed in at the console with the key that asked
        var start = http.send(HttpRequest.newBuilder(URI.create(startUrl))
                .header("Cookie", new ApiTestClient(port).consoleLogin(ADMIN_KEY)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        String setCookie = start.headers().firstValue("Set-Cookie").orElseThrow();
        return new Browser(startUrl, start.headers().firstValue("Location").orElseThrow(),
                setCookie.substring(0, setCookie.indexOf(';')), setCookie);
    }

    private void stubTokenExchange(String code, String team, String teamName) {
        SLACK.stubFor(post("/api/oauth.v2.access").withRequestBody(containing("code=" + code)).willReturn(okJson("""
                {"ok":true,"app_id":"A1","access_token":"xoxb-secret-%1$s","token_type":"bot",
                 "scope":"chat:write,chat:write.public,channels:read,groups:read","bot_user_id":"U0BOT",
                 "refresh_token":"xoxe-1-refresh-%1$s","expires_in":43200,
                 "team":{"id":"%1$s","name":"%2$s"},"enterprise":null,"authed_user":{"id":"U1"}}"""
                .formatted(team, teamName))));
    }

    private String createSlackIntegration(String ws) throws Exception {
        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", "{\"kind\":\"slack\",\"name\":\"Slack\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString("");
    }

    private HttpResponse<String> slackEvent(String body, long timestamp, String signature) throws Exception {
        return slackEvent(body, timestamp, signature, "application/json");
    }

    private HttpResponse<String> slackEvent(String body, long timestamp, String signature, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/slack/events"))
                .header("Content-Type", contentType)
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(long timestamp, String body) {
        return new SlackSignatureVerifier(SIGNING_SECRET, java.time.Clock.systemUTC())
                .sign(Long.toString(timestamp), body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String pathAndQuery, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static String workspace() {
        return "ws_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern containingValue(String value) {
        return containing(value);
    }

    /** The integration as stored on connectors.config (latest record for its key). */
    private static IntegrationConfig storedIntegration(String ws, String id) throws Exception {
        String key = new ConfigKey(ConfigKey.INTEGRATION, ws, id).toString();
        IntegrationConfig latest = null;
        for (var record : configRecords()) {
            if (key.equals(record.key()) && record.value() != null) {
                latest = ConfigCodec.decode(record.value(), IntegrationConfig.class);
            }
        }
        return latest;
    }

    private static String rawConfigTopic() {
        StringBuilder all = new StringBuilder();
        configRecords().forEach(r -> all.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)));
        return all.toString();
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> configRecords() {
        try (var consumer = new KafkaConsumer<>(TestInfrastructure.consumerProperties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition("connectors.config", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
