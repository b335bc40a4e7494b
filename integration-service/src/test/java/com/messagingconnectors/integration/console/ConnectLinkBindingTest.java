package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.messagingconnectors.integration.ApiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connect links bound to the admin who asked for them, over real HTTP against the running service, a real broker and
 * WireMock playing slack.com: the console login (its form, CSRF defences, logout, expiry, revocation) and who may
 * open a start URL. The service's clock is the test's, so expiry is tested without waiting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectLinkBindingTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    static final WireMockServer SLACK = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SLACK.start();
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
        registry.add("connectors.slack.client-id", () -> "111.222");
        registry.add("connectors.slack.client-secret", () -> "client-secret-xyz");
        registry.add("connectors.slack.signing-secret", () -> "signing-secret");
        registry.add("connectors.slack.redirect-uri", () -> "http://127.0.0.1:8085/oauth/slack/callback");
        registry.add("connectors.slack.api-base-url", SLACK::baseUrl);
        SLACK.stubFor(post("/api/conversations.list").willReturn(okJson("{\"ok\":true,\"channels\":[]}")));
    }

    /** A clock the test moves forward. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }
    }

    @AfterAll
    static void stopSlack() {
        SLACK.stop();
    }

    @Value("${local.server.port}")
    int port;
    @Autowired
    TestClock clock;

    ApiTestClient api;

    @BeforeEach
    void client() {
        api = new ApiTestClient(port);
    }

    @Test
    void theAdminWhoAskedConnectsWithTheirOwnSession() throws Exception {
        Admin admin = workspaceAdmin();
        String id = slackIntegration(admin);
        String link = connectLink(admin, id);

        var start = connects(link, api.consoleLogin(admin.key), admin.workspace, id);
        assertThat(location(start)).startsWith(SLACK.baseUrl() + "/oauth/v2/authorize?");
        assertThat(start.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void withoutASessionTheLinkLeadsToTheLoginAndWorksAfterIt() throws Exception {
        Admin admin = workspaceAdmin();
        String id = slackIntegration(admin);
        String link = connectLink(admin, id);

        var toLogin = api.browserGet(link, null);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_connect="));
        String login = location(toLogin);
        assertThat(login).startsWith("/console/login?return=");
        String returnPath = URLDecoder.decode(login.substring(login.indexOf('=') + 1), StandardCharsets.UTF_8);
        assertThat(returnPath).isEqualTo(link);

        var form = api.loginForm(login);
        assertThat(form.page().statusCode()).isEqualTo(200);
        assertThat(form.page().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(form.page().headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(form.page().body()).contains("type=\"password\"", "name=\"return\"")
                .doesNotContain("src=", "http://", "https://");
        var loggedIn = api.browserPost("/console/login", Map.of("apiKey", admin.key, "csrf", form.token(),
                "return", returnPath), form.cookie(), Map.of("Origin", api.base(), "Sec-Fetch-Site", "same-origin"));
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(303);
        assertThat(location(loggedIn)).isEqualTo(link);
        String setCookie = loggedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("mc_console=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");

        connects(link, ApiTestClient.cookie(loggedIn, "mc_console"), admin.workspace, id);
    }

    @Test
    void anotherWorkspacesAdminIsRefusedAndTheIntegrationStaysDisconnected() throws Exception {
        Admin owner = workspaceAdmin();
        Admin stranger = workspaceAdmin();
        String id = slackIntegration(owner);
        String link = connectLink(owner, id);

        var refused = api.browserGet(link, api.consoleLogin(stranger.key));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_connect="));
        assertThat(refused.body()).contains("This connect link is for another administrator",
                "workspace " + stranger.workspace);
        // another key of the owner's own workspace, and the operator, did not ask either
        Admin colleague = new Admin(owner.workspace, newKey(owner.workspace));
        assertThat(api.browserGet(link, api.consoleLogin(colleague.key)).statusCode()).isEqualTo(403);
        assertThat(api.browserGet(link, api.consoleLogin(ADMIN_KEY)).statusCode()).isEqualTo(403);

        assertThat(slackConnected(owner.workspace, id)).isFalse();
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/oauth.v2.access"))
                .withRequestBody(containing("code=code-" + id)));

        // refusing did not use the link up: its owner still connects with it
        connects(link, api.consoleLogin(owner.key), owner.workspace, id);
    }

    @Test
    void aLinkWorksOnceAndForFiveMinutes() throws Exception {
        Admin admin = workspaceAdmin();
        String id = slackIntegration(admin);
        String session = api.consoleLogin(admin.key);

        String used = connectLink(admin, id);
        assertThat(api.browserGet(used, session).statusCode()).isEqualTo(302);
        var replayed = api.browserGet(used, session);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("This connect link has expired", "work once and for 5 minutes");

        String late = connectLink(admin, id);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(api.browserGet(late, session).statusCode()).isEqualTo(400);

        // the provider round trip has 10 minutes from opening the link
        var start = api.browserGet(connectLink(admin, id), session);
        assertThat(start.statusCode()).isEqualTo(302);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(finishAtSlack(start, id).statusCode()).isEqualTo(400);
        assertThat(slackConnected(admin.workspace, id)).isFalse();
    }

    @Test
    void theLoginSendsTheBrowserBackOnlyToAConnectLinkOfThisServer() throws Exception {
        for (String bad : List.of("https://evil.example/", "//evil.example/oauth/slack/start?ticket=abc",
                "/\\evil.example/oauth/slack/start?ticket=abc", "https://evil.example/oauth/slack/start?ticket=abc",
                "/oauth/slack/start?ticket=abc&next=https://evil.example", "/oauth/slack/start?ticket=abc#@evil.example",
                "/oauth/../console/logout", "/oauth/slack/callback?code=x&state=y", "javascript:alert(1)",
                "/oauth/slack/start?ticket=abc\r\nLocation: https://evil.example", "")) {
            var page = api.browserGet("/console/login?return=" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8),
                    null);
            assertThat(page.statusCode()).as(bad).isEqualTo(400);
            assertThat(page.body()).as(bad).contains("This sign-in link is not valid").doesNotContain("<form");
        }
        Admin admin = workspaceAdmin();
        var form = api.loginForm("/console/login");
        var posted = api.browserPost("/console/login", Map.of("apiKey", admin.key, "csrf", form.token(),
                "return", "//evil.example/"), form.cookie(), Map.of());
        assertThat(posted.statusCode()).isEqualTo(400);
        assertThat(posted.headers().firstValue("Location")).isEmpty();
        assertThat(posted.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_console="));
    }

    @Test
    void aLoginFromAnotherSiteIsRefused() throws Exception {
        Admin attacker = workspaceAdmin();
        var form = api.loginForm("/console/login");
        Map<String, String> fields = Map.of("apiKey", attacker.key, "csrf", form.token());

        for (Map<String, String> crossSite : List.of(Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "null"), Map.of("Origin", "http://127.0.0.1:1"),
                Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", api.base(), "Sec-Fetch-Site", "cross-site"))) {
            var refused = api.browserPost("/console/login", fields, form.cookie(), crossSite);
            assertThat(refused.statusCode()).as(crossSite.toString()).isEqualTo(403);
            assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_console="));
        }
        // another site cannot read or set the login cookie, so its form lacks the matching pair
        for (String cookie : new String[] {null, "mc_login=" + "A".repeat(43)}) {
            var refused = api.browserPost("/console/login", fields, cookie, Map.of());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("This sign-in form expired");
            assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_console="));
        }
        var noToken = api.browserPost("/console/login", Map.of("apiKey", attacker.key), form.cookie(), Map.of());
        assertThat(noToken.statusCode()).isEqualTo(403);

        var wrongKey = api.browserPost("/console/login", Map.of("apiKey", "mck_not-a-key", "csrf", form.token()),
                form.cookie(), Map.of("Origin", api.base()));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.body()).contains("That API key is unknown or has been revoked").doesNotContain("mck_not-a-key");
        assertThat(wrongKey.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("mc_console="));
    }

    @Test
    void logoutEndsTheSessionButNotFromAnotherSite() throws Exception {
        Admin admin = workspaceAdmin();
        String id = slackIntegration(admin);
        String session = api.consoleLogin(admin.key);

        var crossSite = api.browserPost("/console/logout", Map.of(), session, Map.of("Origin", "https://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(api.browserGet("/console/login", session).body()).contains("Signed in with API key " + admin.keyId);

        var out = api.browserPost("/console/logout", Map.of(), session, Map.of("Origin", api.base()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("mc_console=;")
                && c.contains("Max-Age=0"));
        assertThat(location(api.browserGet(connectLink(admin, id), session))).startsWith("/console/login?return=");
    }

    @Test
    void sessionsEndWhenIdleAndAfterEightHours() throws Exception {
        Admin admin = workspaceAdmin();
        String idle = api.consoleLogin(admin.key);
        clock.advance(Duration.ofMinutes(31));
        assertThat(api.browserGet("/console/login", idle).body()).doesNotContain("Signed in with");

        String used = api.consoleLogin(admin.key);
        for (int i = 0; i < 23; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(api.browserGet("/console/login", used).body()).as("after %d min", (i + 1) * 20)
                    .contains("Signed in with");
        }
        clock.advance(Duration.ofMinutes(21));
        assertThat(api.browserGet("/console/login", used).body()).doesNotContain("Signed in with");
    }

    @Test
    void revokingTheKeyEndsItsSessionsAndItsConnectsInProgress() throws Exception {
        Admin admin = workspaceAdmin();
        String id = slackIntegration(admin);
        String session = api.consoleLogin(admin.key);
        String waiting = connectLink(admin, id);
        var inProgress = api.browserGet(connectLink(admin, id), session);
        assertThat(inProgress.statusCode()).isEqualTo(302);

        assertThat(api.call("DELETE", "/v1/workspaces/" + admin.workspace + "/api-keys/" + admin.keyId, ADMIN_KEY,
                null, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.browserGet("/console/login", session).body()).doesNotContain("Signed in with"));
        assertThat(location(api.browserGet(waiting, session))).startsWith("/console/login?return=");
        var callback = finishAtSlack(inProgress, id);
        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(slackConnected(admin.workspace, id)).isFalse();
        var relogin = api.loginForm("/console/login");
        assertThat(api.browserPost("/console/login", Map.of("apiKey", admin.key, "csrf", relogin.token()),
                relogin.cookie(), Map.of()).statusCode()).isEqualTo(401);
    }

    // ---- helpers

    record Admin(String workspace, String key, String keyId) {
        Admin(String workspace, JsonNode created) {
            this(workspace, created.get("key").asString(""), created.get("id").asString(""));
        }
    }

    private Admin workspaceAdmin() throws Exception {
        String ws = ApiTestClient.workspace();
        return new Admin(ws, newKey(ws));
    }

    private JsonNode newKey(String ws) throws Exception {
        var created = api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY, "{\"name\":\"admin\",\"scopes\":[\"integrations:read\",\"integrations:write\",\"keys:manage\"]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private String slackIntegration(Admin admin) throws Exception {
        var created = api.call("POST", "/v1/workspaces/" + admin.workspace + "/integrations", admin.key,
                "{\"kind\":\"slack\",\"name\":\"Slack\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString("");
        SLACK.stubFor(post("/api/oauth.v2.access").withRequestBody(containing("code=code-" + id)).willReturn(okJson("""
                {"ok":true,"access_token":"xoxb-%1$s","token_type":"bot","scope":"chat:write","bot_user_id":"U0BOT",
                 "team":{"id":"T%1$s","name":"Team %1$s"}}""".formatted(id))));
        return id;
    }

    /** Asks for a connect link with the admin's key; its path and query (the service's own host and port). */
    private String connectLink(Admin admin, String id) throws Exception {
        var connect = api.call("POST", "/v1/workspaces/" + admin.workspace + "/integrations/" + id + "/slack:connect",
                admin.key, null, null);
        assertThat(connect.statusCode()).as(connect.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(connect.body());
        assertThat(body.get("expiresInSeconds").asInt(0)).isEqualTo(300);
        URI start = URI.create(body.get("startUrl").asString(""));
        return start.getRawPath() + "?" + start.getRawQuery();
    }

    /** Opening {@code link} with {@code session} goes to Slack, and coming back connects; the link's answer. */
    private HttpResponse<String> connects(String link, String session, String ws, String id) throws Exception {
        var start = api.browserGet(link, session);
        assertThat(start.statusCode()).isEqualTo(302);
        var done = finishAtSlack(start, id);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Slack connected to Team " + id);
        assertThat(slackConnected(ws, id)).isTrue();
        return start;
    }

    /** Slack sends the browser back to the callback with a code and the state, with the flow cookie. */
    private HttpResponse<String> finishAtSlack(HttpResponse<String> start, String id) throws Exception {
        String state = ApiTestClient.form(URI.create(location(start)).getRawQuery()).get("state");
        return api.browserGet("/oauth/slack/callback?code=code-" + id + "&state=" + state,
                ApiTestClient.cookie(start, "mc_connect"));
    }

    /** What the admin notices: the channel picker works once Slack is connected, and says to connect before. */
    private boolean slackConnected(String ws, String id) throws Exception {
        var channels = api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/slack/channels", ADMIN_KEY,
                null, null);
        assertThat(channels.statusCode()).as(channels.body()).isIn(200, 409);
        return channels.statusCode() == 200;
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }
}
