package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.integration.ApiTestClient;
import com.messagingconnectors.sandbox.SandboxServer;
import com.messagingconnectors.testsupport.BrowserSession;
import com.messagingconnectors.testsupport.ConsoleLogin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver) against integration-service on a
 * real broker, with the sandbox in this JVM playing Slack's consent page, Microsoft's sign-in and Graph, and the
 * webhook receiver. Each test is a workspace admin clicking through one flow of the product documentation; what the
 * browser shows is checked, and what the API then answers. Screenshots of each screen go to
 * {@code target/console-screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ConsoleBrowserTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    static final int PORT = freePort();
    static final int NO_SENDER_PORT = freePort();
    static final SandboxServer sandbox = startSandbox();
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
        registry.add("server.port", () -> PORT);
        // local mode: endpoint URLs may be loopback (the sandbox), and the console opens signed in as ws_demo
        registry.add("connectors.security.local-mode", () -> "true");
        registry.add("connectors.slack.client-id", () -> "sandbox-client-id");
        registry.add("connectors.slack.client-secret", () -> "sandbox-client-secret");
        registry.add("connectors.slack.signing-secret", () -> "sandbox-signing-secret");
        registry.add("connectors.slack.api-base-url", () -> sandbox.url() + "/slack");
        registry.add("connectors.slack.redirect-uri", () -> base() + "/oauth/slack/callback");
        registry.add("connectors.teams.client-id", () -> "sandbox-teams-app");
        registry.add("connectors.teams.client-secret", () -> "sandbox-secret");
        registry.add("connectors.teams.authority-base-url", () -> sandbox.url() + "/microsoft/login");
        registry.add("connectors.teams.graph-base-url", () -> sandbox.url() + "/microsoft/graph");
        registry.add("connectors.teams.public-base-url", ConsoleBrowserTest::base);
        // senders that are not running: the operator's dead-letter page must say so, not fail
        for (String kind : new String[] {"webhook", "slack", "teams", "googlechat"}) {
            registry.add("connectors.console.senders." + kind, () -> "http://127.0.0.1:" + NO_SENDER_PORT);
        }
    }

    /** One Chromium for all tests (starting one costs seconds), made new again before each test. */
    static BrowserSession session;
    WebDriver browser;
    WebDriverWait wait;
    ApiTestClient api;
    String testName;

    @BeforeAll
    static void openBrowser() throws IOException {
        session = BrowserSession.start(base(), SCREENSHOTS, "start");
    }

    @BeforeEach
    void freshBrowser(TestInfo test) throws IOException {
        testName = test.getTestMethod().orElseThrow().getName();
        session.startOver(testName);
        browser = session.driver();
        wait = session.await();
        api = new ApiTestClient(PORT);
    }

    @AfterAll
    static void closeBrowserAndSandbox() {
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            sandbox.close();
        }
    }

    @Test
    void localModeOpensSignedInAsTheDemoWorkspaceWithAnEmptyState() throws Exception {
        browser.get(base() + "/console");
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("ws_demo");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Integrations");
        assertThat(browser.findElement(By.cssSelector("main .empty")).getText()).contains("No integrations yet");
        session.assertUsable("integrations");
        session.clickAndAwaitPage(By.linkText("Add integration"));
        assertThat(browser.findElements(By.cssSelector(".cards .card h3")).stream().map(WebElement::getText))
                .containsExactly("Slack", "Microsoft Teams", "Webhook", "Google Chat");
        session.assertUsable("catalog");
    }

    @Test
    void webhookEndpointShowsItsSecretOnceAndUserInvitedIsSwitchedOn() throws Exception {
        String ws = signIn();
        browser.get(base() + "/console/catalog");
        session.clickAndAwaitPage(By.cssSelector("a[aria-label='Add endpoint Webhook']"));
        // a URL the API refuses: its problem is shown at the URL field
        fill("name", "Team hooks");
        fill("url", "ftp://example.com/hook");
        session.clickAndAwaitPage(By.cssSelector("form.stack button[type=submit]"));
        WebElement url = browser.findElement(By.id("url"));
        assertThat(url.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("url-error")).getText()).isNotBlank();
        session.assertUsable("webhook-url-refused");

        fill("url", sandbox.url() + "/hooks/console");
        // report.completed is not among the types switched on by default
        assertThat(browser.findElement(By.id("type-report.completed")).isSelected()).isFalse();
        browser.findElement(By.id("type-report.completed")).click();
        session.clickAndAwaitPage(By.cssSelector("form.stack button[type=submit]"));
        String secret = browser.findElement(By.id("secret")).getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        browser.findElement(By.cssSelector("button.copy")).click();
        wait.until(d -> !d.findElement(By.cssSelector(".copy-status")).getText().isBlank());
        session.assertUsable("webhook-secret");

        session.clickAndAwaitPage(By.linkText("Done — go to the integration"));
        assertThat(browser.getPageSource()).doesNotContain(secret);
        JsonNode integration = onlyIntegration(ws);
        assertThat(integration.get("kind").asString("")).isEqualTo("webhook");
        assertThat(integration.at("/channels/0/url").asString("")).isEqualTo(sandbox.url() + "/hooks/console");
        assertThat(integration.at("/channels/0/types").toString()).contains("report.completed");
        session.assertUsable("webhook-settings");

        // Notification rules: user.invited is off by default; switch it on (htmx swaps the table in place)
        session.clickAndAwaitPage(By.linkText("Notification rules"));
        assertThat(browser.findElement(By.cssSelector(".advice")).getText())
                .contains("start with the highest-priority types");
        WebElement invited = browser.findElement(By.id("toggle-user.invited"));
        assertThat(invited.getAttribute("aria-checked")).isEqualTo("false");
        invited.click();
        wait.until(d -> "true".equals(d.findElement(By.id("toggle-user.invited")).getAttribute("aria-checked")));
        assertThat(browser.findElement(By.cssSelector("#toggles .notice")).getText()).contains("user.invited is now on");
        session.assertUsable("notification-rules");
        assertThat(onlyIntegration(ws).at("/notificationTypes/user.invited").asBoolean(false)).isTrue();

        // someone else changes the integration meanwhile: the next toggle says so instead of overwriting
        String id = integration.get("id").asString("");
        json(api.call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/notification-settings", ADMIN_KEY,
                "{\"notificationTypes\":{\"user.invited\":true,\"sync.failed\":false}}", null), 200);
        browser.findElement(By.id("toggle-report.completed")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#toggles .problem")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#toggles .problem")).getText())
                .contains("changed by someone else").contains("reload");
    }

    @Test
    void threeExampleRulesAndTheLivePreviewSaysWhereEachEventGoes() throws Exception {
        String ws = signIn();
        JsonNode created = json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind": "webhook", "name": "Team hooks",
                 "notificationTypes": {"report.completed": true, "user.deactivated": true, "alert.triggered": true,
                                       "user.invited": true},
                 "channels": [{"id": "analytics", "name": "#analytics-team", "url": "%1$s/hooks/analytics-team"},
                              {"id": "security", "name": "#security", "url": "%1$s/hooks/security"},
                              {"id": "oncall", "name": "On-call webhook", "url": "%1$s/hooks/on-call"},
                              {"id": "general", "name": "#general", "url": "%1$s/hooks/general"}],
                 "defaultChannelId": "general"}""".formatted(sandbox.url()), null), 201);
        String id = created.get("id").asString("");
        browser.get(base() + "/console/integrations/" + id + "/routing");
        addRule("Reports to analytics", "report.completed", null, "#analytics-team");
        addRule("Deactivations to security", "user.deactivated", null, "#security");
        addRule("Alerts to on-call", "*", "alert", "On-call webhook");
        assertThat(browser.findElements(By.cssSelector("ol.rules li")).stream().map(WebElement::getText))
                .hasSize(3).first().asString().contains("report.completed").contains("#analytics-team");

        new Select(browser.findElement(By.id("example"))).selectByValue("user.deactivated");
        awaitPreview("#security", "rule");
        session.assertUsable("routing-preview");
        // typing another type: the example's payload no longer fits, so it is cleared (the type's example is used)
        browser.findElement(By.id("previewPayload")).clear();
        WebElement type = browser.findElement(By.id("previewType"));
        type.clear();
        type.sendKeys("user.invited");
        awaitPreview("#general", "default channel");
        new Select(browser.findElement(By.id("example"))).selectByValue("alert.triggered");
        awaitPreview("On-call webhook", "rule");

        JsonNode rules = json(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules", ADMIN_KEY,
                null, null), 200).get("rules");
        assertThat(rules).hasSize(3);
        assertThat(rules.get(2).at("/match/levels/0").asString("")).isEqualTo("alert");
        assertThat(rules.get(1).get("channelId").asString("")).isEqualTo("security");
    }

    @Test
    void noiseSettingsAreChosenOnTheRoutingAndIntegrationPages() throws Exception {
        String ws = signIn();
        String id = json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind": "webhook", "name": "Busy hooks", "notificationTypes": {"sync.failed": true},
                 "channels": [{"id": "ops", "name": "#ops", "url": "%1$s/hooks/ops"}], "defaultChannelId": "ops"}"""
                .formatted(sandbox.url()), null), 201).get("id").asString("");
        browser.get(base() + "/console/integrations/" + id + "/routing");

        // a wrong interval: the page says so beside the field and keeps what was typed
        fill("ruleName", "Sync failures");
        fill("ruleTypes", "sync.failed");
        fill("groupBy", "type, attributes.sourceId");
        fill("groupWait", "30s");
        fill("groupInterval", "48h");
        session.clickAndAwaitPage(By.xpath("//button[text()='Add rule']"));
        assertThat(browser.findElement(By.cssSelector("#groupInterval + p + p.field-error")).getText())
                .isEqualTo("must be between 1s and 24h");
        assertThat(browser.findElement(By.id("groupInterval")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("groupBy")).getAttribute("value")).isEqualTo("type, attributes.sourceId");
        session.assertUsable("routing-noise-error");

        fill("groupInterval", "5m");
        fill("dedupeWindow", "10m");
        session.clickAndAwaitPage(By.xpath("//button[text()='Add rule']"));
        assertThat(session.awaitText(By.cssSelector("ol.rules li"), "Sync failures").getText())
                .contains("grouped by type, attributes.sourceId: wait 30s, then one digest every 5m")
                .contains("repeats of a dedupKey sent once per 10m");
        new Select(browser.findElement(By.id("example"))).selectByValue("sync.failed");
        awaitPreview("#ops", "rule");
        assertThat(browser.findElement(By.cssSelector("#preview .route .noise")).getText()).isNotBlank();

        JsonNode rule = json(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules", ADMIN_KEY,
                null, null), 200).get("rules").get(0);
        assertThat(rule.at("/grouping/interval").asString("")).isEqualTo("5m");
        assertThat(rule.at("/dedupe/window").asString("")).isEqualTo("10m");

        // the integration's cap and mute on its settings page
        browser.get(base() + "/console/integrations/" + id);
        fill("capPerMinute", "100000");
        session.clickAndAwaitPage(By.xpath("//button[text()='Save noise settings']"));
        assertThat(browser.findElement(By.cssSelector("#capPerMinute + p + p.field-error")).getText())
                .startsWith("must be between 1 and 10000");
        String until = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
        fill("capPerMinute", "30");
        fill("integrationMuteUntil", until);
        fill("integrationMuteReason", "Warehouse migration");
        session.clickAndAwaitPage(By.xpath("//button[text()='Save noise settings']"));
        session.awaitText(By.cssSelector(".notice"), "Noise settings saved.");
        assertThat(browser.findElement(By.id("capPerMinute")).getAttribute("value")).isEqualTo("30");
        assertThat(browser.findElement(By.id("integrationMuteUntil")).getAttribute("value")).isEqualTo(until);
        session.assertUsable("integration-noise");
        JsonNode noise = json(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                null, null), 200);
        assertThat(noise.get("capPerMinute").asInt(0)).isEqualTo(30);
        assertThat(noise.at("/mute/reason").asString("")).isEqualTo("Warehouse migration");
    }

    @Test
    void slackConnectsThroughTheConsentPageAndGeneralBecomesTheDefaultChannel() throws Exception {
        String ws = signIn();
        browser.get(base() + "/console/catalog");
        session.clickAndAwaitPage(By.cssSelector("a[aria-label='Connect Slack']"));
        session.clickAndAwaitPage(By.cssSelector("form.stack button[type=submit]"));
        // Slack's consent page (the sandbox)
        wait.until(ExpectedConditions.urlContains(sandbox.url() + "/slack/oauth/v2/authorize"));
        assertThat(browser.getPageSource()).contains("Sandbox Team");
        screenshot("slack-consent");
        session.clickAndAwaitPage(By.linkText("Allow"));
        wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("Slack connected to Sandbox Team"));
        session.clickAndAwaitPage(By.linkText("Continue to the integration's settings"));
        new Select(browser.findElement(By.id("channelId"))).selectByVisibleText("#general");
        session.clickAndAwaitPage(By.xpath("//button[text()='Save default channel']"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Saved");
        assertThat(new Select(browser.findElement(By.id("channelId"))).getFirstSelectedOption().getText())
                .isEqualTo("#general");
        assertThat(browser.findElement(By.cssSelector(".status .badge")).getText()).isEqualTo("connected");
        session.assertUsable("slack-settings");
        JsonNode integration = onlyIntegration(ws);
        assertThat(integration.get("defaultChannelId").asString("")).isEqualTo("C0GENERAL");
    }

    @Test
    void teamsSignsInWithMicrosoftThenTeamAndChannelArePicked() throws Exception {
        String ws = signIn();
        browser.get(base() + "/console/catalog/teams");
        session.clickAndAwaitPage(By.cssSelector("form.stack button[type=submit]"));
        wait.until(ExpectedConditions.urlContains(sandbox.url() + "/microsoft/login/"));
        screenshot("teams-consent");
        session.clickAndAwaitPage(By.id("accept"));
        wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("Microsoft Teams is connected"));
        session.clickAndAwaitPage(By.linkText("Continue to the integration's settings"));
        new Select(browser.findElement(By.id("team"))).selectByVisibleText("Analytics");
        session.clickAndAwaitPage(By.xpath("//button[text()='Show channels']"));
        new Select(browser.findElement(By.id("teamChannel"))).selectByVisibleText("Alerts");
        session.clickAndAwaitPage(By.xpath("//button[text()='Save team and channel']"));
        assertThat(browser.findElement(By.cssSelector("#teams-title + p")).getText())
                .isEqualTo("Notifications go to Alerts.");
        session.assertUsable("teams-settings");
        JsonNode integration = onlyIntegration(ws);
        assertThat(integration.get("defaultChannelId").asString("")).isEqualTo("19:analytics-alerts@thread.tacv2");
        assertThat(integration.at("/channels/0/teamId").asString("")).isEqualTo("team-analytics");
    }

    @Test
    void apiKeysAreShownOnceListedByPrefixAndRevoked() throws Exception {
        String ws = signIn();
        browser.get(base() + "/console/api-keys");
        fill("keyName", "billing-service");
        browser.findElement(By.id("scope-events:write")).click();
        session.clickAndAwaitPage(By.xpath("//button[text()='Create key']"));
        String key = browser.findElement(By.id("new-key")).getAttribute("value");
        assertThat(key).startsWith("mck_");
        session.assertUsable("api-keys");
        WebElement row = browser.findElement(By.xpath("//tr[td[text()='billing-service']]"));
        assertThat(row.getText()).contains(key.substring(0, 8)).doesNotContain(key);
        // a key of this workspace with events:write only
        assertThat(api.call("GET", "/v1/workspaces/" + ws + "/integrations", key, null, null).statusCode())
                .isEqualTo(403);

        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
        session.clickAndAwaitPage(row.findElement(By.xpath(".//button[text()='Revoke']")));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("revoked");
        assertThat(browser.findElement(By.xpath("//tr[td[text()='billing-service']]")).getText()).contains("revoked");
        assertThat(api.call("GET", "/v1/workspaces/" + ws + "/integrations", key, null, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aSessionOfOneWorkspaceNeverSeesAnother() throws Exception {
        String other = ApiTestClient.workspace();
        String otherId = json(api.call("POST", "/v1/workspaces/" + other + "/integrations", ADMIN_KEY,
                "{\"kind\":\"slack\",\"name\":\"Their Slack\"}", null), 201).get("id").asString("");
        signIn();
        browser.get(base() + "/console/integrations/" + otherId);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("That did not work");
        assertThat(browser.getPageSource()).doesNotContain("Their Slack").contains("does not exist");
        session.assertUsable("problem");
        browser.get(base() + "/console");
        assertThat(browser.getPageSource()).doesNotContain("Their Slack");
    }

    @Test
    void theOperatorReEnablesADisabledEndpoint() throws Exception {
        String ws = ApiTestClient.workspace();
        String id = json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind": "webhook", "name": "Ops hooks", "channels": [{"id": "ops", "name": "Ops endpoint",
                 "url": "%s/hooks/ops"}], "defaultChannelId": "ops"}""".formatted(sandbox.url()), null), 201)
                .get("id").asString("");
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        assertThat(api.call("POST", path + "/channels/ops:disable", ADMIN_KEY, null, null).statusCode()).isEqualTo(200);
        signInWith(ADMIN_KEY);
        browser.get(base() + "/console/operator/endpoints");
        WebElement row = browser.findElement(By.xpath("//tr[td[text()='Ops endpoint']]"));
        assertThat(row.getText()).contains(ws).contains("Ops hooks");
        session.assertUsable("disabled-endpoints");
        session.clickAndAwaitPage(row.findElement(By.xpath(".//button[text()='Re-enable']")));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("enabled again");
        assertThat(json(api.call("GET", path, ADMIN_KEY, null, null), 200).at("/channels/0/enabled").asBoolean(false))
                .isTrue();
        // a workspace session cannot open the operator's screens
        signIn();
        browser.get(base() + "/console/operator/endpoints");
        assertThat(browser.getPageSource()).doesNotContain("Ops endpoint");
    }

    @Test
    void theLoginPageExplainsARefusedKeyAndIsUsable() throws Exception {
        browser.get(base() + "/console/login");
        session.assertUsable("login");
        fill("apiKey", "mck_not-a-key");
        session.clickAndAwaitPage(By.cssSelector("form[action='/console/login'] button[type=submit]"));
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).isNotBlank();
        assertThat(browser.findElements(By.cssSelector(".who"))).isEmpty();
    }

    @Test
    void notificationTypesAreSwitchedWithTheKeyboardAlone() throws Exception {
        String ws = signIn();
        String id = json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind": "webhook", "name": "Keyboard hooks", "channels": [{"id": "k", "name": "K",
                 "url": "%s/hooks/k"}], "defaultChannelId": "k"}""".formatted(sandbox.url()), null), 201)
                .get("id").asString("");
        browser.get(base() + "/console/integrations/" + id + "/notifications");
        // Tab from the top reaches the switch (with a visible focus ring); Space flips it
        session.tabTo(By.id("toggle-user.invited"), 40);
        session.press(Keys.SPACE);
        wait.until(d -> "true".equals(d.findElement(By.id("toggle-user.invited")).getAttribute("aria-checked")));
        assertThat(onlyIntegration(ws).at("/notificationTypes/user.invited").asBoolean(false)).isTrue();
        // the skip link is the first stop and leads to the content
        session.tabTo(By.cssSelector("a.skip"), 1);
        session.press(Keys.ENTER);
        assertThat(browser.getCurrentUrl()).endsWith("#main");
    }

    @Test
    void twoAdminsEditingAtOnceTheSecondIsToldToReload() throws Exception {
        String ws = signIn();
        String key = json(api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"second admin\",\"scopes\":[\"integrations:read\",\"integrations:write\"]}", null), 201)
                .get("key").asString("");
        String id = json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind": "webhook", "name": "Shared hooks", "channels": [{"id": "a", "name": "#a", "url": "%1$s/hooks/a"},
                 {"id": "b", "name": "#b", "url": "%1$s/hooks/b"}], "defaultChannelId": "a"}"""
                .formatted(sandbox.url()), null), 201).get("id").asString("");
        try (BrowserSession other = BrowserSession.start(base(), SCREENSHOTS, testName + "-other")) {
            other.signInToConsole(key);
            // both open the routing page; the other admin adds a rule first
            browser.get(base() + "/console/integrations/" + id + "/routing");
            other.open("/console/integrations/" + id + "/routing");
            other.fill("ruleName", "Theirs");
            other.fill("ruleTypes", "sync.failed");
            other.click(By.xpath("//button[text()='Add rule']"));
            other.awaitText(By.cssSelector("ol.rules li"), "Theirs");

            fill("ruleName", "Mine");
            fill("ruleTypes", "report.completed");
            browser.findElement(By.xpath("//button[text()='Add rule']")).click();
            assertThat(session.awaitText(By.cssSelector(".problem"), "changed by someone else").getText())
                    .contains("reload");
            session.assertUsable("conflict");
            // reloading shows their rule, and then the change goes through
            browser.get(base() + "/console/integrations/" + id + "/routing");
            assertThat(browser.findElement(By.cssSelector("ol.rules")).getText()).contains("Theirs");
            addRule("Mine", "report.completed", null, "#b");
        }
        JsonNode rules = json(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules", ADMIN_KEY,
                null, null), 200).get("rules");
        assertThat(rules).extracting(r -> r.get("name").asString("")).containsExactly("Theirs", "Mine");
    }

    @Test
    void theOperatorChoosesWhichWorkspaceToLookAt() throws Exception {
        String ws = ApiTestClient.workspace();
        json(api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY,
                "{\"kind\":\"slack\",\"name\":\"Picked Slack\"}", null), 201);
        signInWith(ADMIN_KEY);
        browser.get(base() + "/console");
        // no workspace chosen yet: the console asks for one
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Workspaces");
        fill("workspaceId", "not a workspace");
        session.clickAndAwaitPage(By.cssSelector("#any-workspace button"));
        assertThat(session.awaitText(By.id("workspaceId-error"), "ws_").getText()).contains("ws_");
        assertThat(browser.findElement(By.id("workspaceId")).getAttribute("aria-invalid")).isEqualTo("true");
        session.assertUsable("operator-workspaces");

        session.clickAndAwaitPage(By.cssSelector("button[aria-label='Look at it: " + ws + "']"));
        assertThat(session.awaitText(By.tagName("h1"), "Integrations").getText()).isEqualTo("Integrations");
        assertThat(browser.findElement(By.cssSelector(".viewing")).getText()).isEqualTo("looking at " + ws);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Picked Slack");
        // the operator's own screens stay in the menu
        session.clickAndAwaitPage(By.linkText("Workspaces"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains(ws);
    }

    @Test
    void theDeadLetterPageSaysWhenASenderCannotBeReached() throws Exception {
        signInWith(ADMIN_KEY);
        browser.get(base() + "/console/operator/dead-letters?sender=webhook");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dead letters");
        assertThat(browser.findElement(By.cssSelector(".problem")).getText())
                .contains("webhook sender cannot be reached").contains("Is it running");
        // the other senders stay one click away
        assertThat(browser.findElements(By.cssSelector("nav.tabs a")).stream().map(WebElement::getText))
                .containsExactly("googlechat", "slack", "teams", "webhook");
        session.assertUsable("dead-letters-sender-down");
        // a gateway error, not a server error of the console
        HttpClient http = HttpClient.newHttpClient();
        String cookie = ConsoleLogin.cookie(ConsoleLogin.signIn(http, URI.create(base() + "/console/login"), ADMIN_KEY),
                ConsoleLogin.SESSION_COOKIE);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create(base() + "/console/operator/dead-letters?sender=webhook")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(502);
    }

    @Test
    void nothingOneTestLeavesInTheBrowserReachesTheNext() throws Exception {
        // what a test can leave behind: a signed-in session, storage, a cookie of another site, a second tab
        String ws = signIn();
        session.script("localStorage.setItem('left', 'behind'); sessionStorage.setItem('left', 'behind');");
        ((HasCdp) browser).executeCdpCommand("Network.setCookie", Map.of("name", "left", "value", "behind",
                "domain", "elsewhere.example", "path", "/"));
        browser.switchTo().newWindow(WindowType.TAB).get(base() + "/console");
        assertThat(session.cookies()).hasSizeGreaterThan(1);

        // what runs before each test
        session.startOver(testName + "-next");
        browser = session.driver();
        assertThat(browser.getWindowHandles()).hasSize(1);
        assertThat(session.cookies()).isEmpty();
        browser.get(base() + "/console");
        // signed out: local mode opens as the demo workspace, not as the one signed in before
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("ws_demo").isNotEqualTo(ws);
        assertThat(session.script("return localStorage.length + ' ' + sessionStorage.length")).isEqualTo("0 0");
    }

    // ---- helpers ----

    /** Signs in on the login page with a new key of a new workspace (all workspace scopes); returns the workspace. */
    private String signIn() throws Exception {
        String ws = ApiTestClient.workspace();
        String key = json(api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"admin\",\"scopes\":[\"integrations:read\",\"integrations:write\",\"keys:manage\","
                        + "\"events:write\"]}", null), 201).get("key").asString("");
        signInWith(key);
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo(ws);
        return ws;
    }

    private void signInWith(String key) {
        session.signInToConsole(key);
    }

    private void addRule(String name, String types, String level, String channel) {
        fill("ruleName", name);
        fill("ruleTypes", types);
        if (level != null) {
            browser.findElement(By.id("level-" + level)).click();
        }
        new Select(browser.findElement(By.id("ruleChannel"))).selectByVisibleText(channel);
        browser.findElement(By.xpath("//button[text()='Add rule']")).click();
        wait.until(d -> d.findElements(By.cssSelector("ol.rules li")).stream().anyMatch(li -> li.getText().contains(name)));
    }

    private void awaitPreview(String channel, String why) {
        try {
            wait.until(d -> d.findElements(By.cssSelector("#preview .route")).stream()
                    .anyMatch(r -> r.getText().startsWith(channel + " in") && r.getText().contains(why)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the preview shows: " + browser.findElement(By.id("preview")).getAttribute("innerHTML"), e);
        }
    }

    private void fill(String id, String value) {
        session.fill(id, value);
    }

    private JsonNode onlyIntegration(String ws) throws Exception {
        JsonNode list = json(api.call("GET", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, null, null), 200)
                .get("integrations");
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static JsonNode json(HttpResponse<String> response, int expected) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private void screenshot(String name) throws IOException {
        session.screenshot(name);
    }

    static String base() {
        return "http://127.0.0.1:" + PORT;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SandboxServer startSandbox() {
        try {
            return new SandboxServer(0).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
