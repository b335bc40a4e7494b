package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.integration.ApiTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's noise fields over plain HTTP: the routing page's rule form (grouping, dedupe, mute) and the
 * integration page's cap and mute go through the API's validation, so a bad value is refused with the API's own
 * words beside its field, the typed values kept and nothing saved; good values are what the API then reads. The
 * integration page also shows how many events its mutes held back, and Slack's choice of how resolved alerts show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleNoiseFormTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private static final Pattern ETAG = Pattern.compile("name=\"etag\" value=\"([^\"]+)\"");
    private static final DateTimeFormatter FORM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
    }

    @Value("${local.server.port}")
    int port;

    ApiTestClient api;
    String ws;
    String id;
    String session;

    @BeforeEach
    void integration() throws Exception {
        api = new ApiTestClient(port);
        ws = ApiTestClient.workspace();
        var created = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"slack","name":"Busy","channels":[{"id":"C1","name":"#alerts"}],"defaultChannelId":"C1",
                 "notificationTypes":{"sync.failed":true}}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        id = JSON.readTree(created.body()).get("id").asString("");
        var key = api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY, """
                {"name":"admin","scopes":["integrations:read","integrations:write"]}""", null);
        session = api.consoleLogin(JSON.readTree(key.body()).get("key").asString(""));
    }

    @Test
    void badRuleNoiseValuesAreShownBesideTheirFieldsAndNothingIsSaved() throws Exception {
        var refused = addRule(Map.of("groupBy", "type, colour", "groupWait", "20m", "dedupeWindow", "0s"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(fieldError(refused.body(), "groupBy"))
                .isEqualTo("must be type, level, source or attributes.&lt;name&gt; (name: 1-64 letters, digits, _.:-)");
        assertThat(fieldError(refused.body(), "groupWait")).isEqualTo("must be between 0s and 10m");
        assertThat(fieldError(refused.body(), "groupInterval")).isEqualTo("is required: a duration such as 30s, 5m or 1h");
        assertThat(fieldError(refused.body(), "dedupeWindow")).isEqualTo("must be between 1s and 24h");
        // what was typed stays in the form
        assertThat(refused.body()).contains("id=\"groupBy\" name=\"groupBy\" value=\"type, colour\"")
                .contains("aria-invalid=\"true\"");

        var unreadable = addRule(Map.of("muteUntil", "next tuesday", "muteReason", "migration"));
        assertThat(unreadable.statusCode()).isEqualTo(422);
        assertThat(fieldError(unreadable.body(), "muteUntil")).isEqualTo("must be " + NoiseForms.UNTIL_HINT);

        var tooFar = addRule(Map.of("muteUntil", FORM_TIME.format(Instant.now().plus(Duration.ofDays(91)))));
        assertThat(tooFar.statusCode()).isEqualTo(422);
        assertThat(fieldError(tooFar.body(), "muteUntil")).isEqualTo("must be at most 90 days ahead");

        var reasonAlone = addRule(Map.of("muteReason", "migration"));
        assertThat(reasonAlone.statusCode()).isEqualTo(422);
        assertThat(fieldError(reasonAlone.body(), "muteUntil")).startsWith("is required: when the mute ends");

        assertThat(rules()).isEmpty();
    }

    @Test
    void ruleNoiseFieldsAreSavedAsTheApiReadsThem() throws Exception {
        Instant until = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
        var saved = addRule(Map.of("groupBy", "type, attributes.sourceId", "groupWait", "30s",
                "groupInterval", "5m", "dedupeWindow", "10m", "muteUntil", FORM_TIME.format(until),
                "muteReason", "pg-prod migration"));
        assertThat(saved.statusCode()).as(saved.body()).isBetween(302, 303);

        JsonNode rule = rules().get(0);
        assertThat(rule.at("/grouping/by").toString()).isEqualTo("[\"type\",\"attributes.sourceId\"]");
        assertThat(rule.at("/grouping/wait").asString("")).isEqualTo("30s");
        assertThat(rule.at("/grouping/interval").asString("")).isEqualTo("5m");
        assertThat(rule.at("/dedupe/window").asString("")).isEqualTo("10m");
        assertThat(Instant.parse(rule.at("/mute/until").asString(""))).isEqualTo(until);
        assertThat(rule.at("/mute/reason").asString("")).isEqualTo("pg-prod migration");
        assertThat(api.browserGet("/console/integrations/" + id + "/routing", session).body())
                .contains("grouped by type, attributes.sourceId: wait 30s, then one digest every 5m; repeats of a"
                        + " dedupKey sent once per 10m; muted until " + FORM_TIME.format(until) + " UTC (pg-prod migration)");
    }

    @Test
    void theIntegrationsCapAndMuteUseTheApisValidationAndCanBeCleared() throws Exception {
        var notANumber = saveNoise("lots", "", "");
        assertThat(notANumber.statusCode()).isEqualTo(422);
        assertThat(fieldError(notANumber.body(), "capPerMinute")).startsWith("must be a whole number");
        assertThat(notANumber.body()).contains("value=\"lots\"");

        var zero = saveNoise("0", "", "");
        assertThat(zero.statusCode()).isEqualTo(422);
        // the same words as the API's answer to the same value
        var apiAnswer = api.call("PUT", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                "{\"capPerMinute\":0}", null);
        assertThat(apiAnswer.statusCode()).isEqualTo(422);
        assertThat(fieldError(zero.body(), "capPerMinute"))
                .isEqualTo(JSON.readTree(apiAnswer.body()).at("/errors/0/problem").asString(""));

        var reasonAlone = saveNoise("", "", "maintenance");
        assertThat(reasonAlone.statusCode()).isEqualTo(422);
        assertThat(fieldError(reasonAlone.body(), "integrationMuteUntil")).startsWith("is required");
        assertThat(noise().path("capPerMinute").isNull() || noise().path("capPerMinute").isMissingNode()).isTrue();

        Instant until = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.MINUTES);
        var saved = saveNoise("120", FORM_TIME.format(until), "maintenance");
        assertThat(saved.statusCode()).isBetween(302, 303);
        JsonNode noise = noise();
        assertThat(noise.get("capPerMinute").asInt(0)).isEqualTo(120);
        assertThat(Instant.parse(noise.at("/mute/until").asString(""))).isEqualTo(until);
        assertThat(noise.at("/mute/reason").asString("")).isEqualTo("maintenance");
        String page = api.browserGet("/console/integrations/" + id + "?notice=noise", session).body();
        assertThat(page).contains("Noise settings saved.").contains("value=\"120\"")
                .contains("value=\"" + FORM_TIME.format(until) + "\"");

        assertThat(saveNoise("", "", "").statusCode()).isBetween(302, 303);
        assertThat(noise().path("capPerMinute").isNull() || noise().path("capPerMinute").isMissingNode()).isTrue();
        assertThat(noise().path("mute").isNull() || noise().path("mute").isMissingNode()).isTrue();
    }

    @Test
    void theIntegrationPageSaysHowManyEventsItsMutesHeldBack() throws Exception {
        assertThat(api.browserGet("/console/integrations/" + id, session).body()).doesNotContain("id=\"muted-events\"");

        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        ApiTestClient.reportStatus(
                new StatusReport(ws, id, null, StatusReport.MUTED, "muted", "integration Busy is muted", at, 2L),
                new StatusReport(ws, id, null, StatusReport.MUTED, "muted", "integration Busy is muted",
                        at.plusSeconds(95), 3L));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.browserGet("/console/integrations/" + id, session).body())
                .contains("<dd id=\"muted-events\">5 events muted (last at 2026-11-28 10:01:35 UTC)</dd>"));
        // muting is not trouble: the state shown stays connected
        assertThat(api.browserGet("/console/integrations/" + id, session).body())
                .contains("<dt>State</dt><dd>connected</dd>");
    }

    @Test
    void slacksResolvedAlertsChoiceIsSavedAsTheApiReadsIt() throws Exception {
        String page = api.browserGet("/console/integrations/" + id, session).body();
        assertThat(page).contains("<label for=\"resolvedAlerts\">When an alert resolves</label>");
        assertThat(selected(page)).isEqualTo("update the original message");

        var saved = saveResolvedAlerts("thread", true);
        assertThat(saved.statusCode()).as(saved.body()).isBetween(302, 303);
        assertThat(JSON.readTree(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id, ADMIN_KEY, null,
                null).body()).get("resolvedAlerts").asString("")).isEqualTo("thread");
        page = api.browserGet("/console/integrations/" + id + "?notice=resolved-alerts", session).body();
        assertThat(selected(page)).isEqualTo("reply in its thread");
        assertThat(page).contains("Saved: this is how resolved alerts show in Slack from now on.");

        // a value the API refuses is refused here with the API's words, beside the select; nothing is saved
        var refused = saveResolvedAlerts("sideways", true);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(fieldError(refused.body(), "resolvedAlerts")).isEqualTo("must be update (edit the alert's message"
                + " in place) or thread (reply in the alert's thread)");
        // without the page's CSRF token the change is not made
        var forged = saveResolvedAlerts("update", false);
        assertThat(forged.statusCode()).isIn(401, 403);
        assertThat(JSON.readTree(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id, ADMIN_KEY, null,
                null).body()).get("resolvedAlerts").asString("")).isEqualTo("thread");

        // another workspace's Slack integration cannot be changed from this session, and is not changed
        String other = ApiTestClient.workspace();
        String theirs = JSON.readTree(api.call("POST", "/v1/workspaces/" + other + "/integrations", ADMIN_KEY,
                "{\"kind\":\"slack\",\"name\":\"Theirs\"}", null).body()).get("id").asString("");
        page = api.browserGet("/console/integrations/" + id, session).body();
        var across = api.browserPost("/console/integrations/" + theirs + "/resolved-alerts", Map.of(
                "_csrf", match(CSRF, page), "etag", "\"1\"", "resolvedAlerts", "thread"), session, sameOrigin());
        assertThat(across.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(api.call("GET", "/v1/workspaces/" + other + "/integrations/" + theirs, ADMIN_KEY,
                null, null).body()).get("resolvedAlerts").asString("")).isEqualTo("update");

        // other kinds have no such choice
        var hooks = api.call("POST", "/v1/workspaces/" + ws + "/integrations", ADMIN_KEY, """
                {"kind":"webhook","name":"Hooks","channels":[{"url":"https://hooks.example.com/x"}]}""", null);
        String hooksId = JSON.readTree(hooks.body()).get("id").asString("");
        assertThat(api.browserGet("/console/integrations/" + hooksId, session).body())
                .doesNotContain("When an alert resolves");
    }

    private HttpResponse<String> addRule(Map<String, String> noise) throws Exception {
        String page = api.browserGet("/console/integrations/" + id + "/routing", session).body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", match(CSRF, page));
        form.put("etag", match(ETAG, page));
        form.put("name", "Sync failures");
        form.put("types", "sync.failed");
        form.put("channelId", "C1");
        form.putAll(noise);
        return api.browserPost("/console/integrations/" + id + "/rules", form, session, sameOrigin());
    }

    private HttpResponse<String> saveNoise(String cap, String until, String reason) throws Exception {
        String page = api.browserGet("/console/integrations/" + id, session).body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", match(CSRF, page));
        form.put("etag", match(ETAG, page));
        form.put("capPerMinute", cap);
        form.put("muteUntil", until);
        form.put("muteReason", reason);
        return api.browserPost("/console/integrations/" + id + "/noise", form, session, sameOrigin());
    }

    private HttpResponse<String> saveResolvedAlerts(String mode, boolean withCsrf) throws Exception {
        String page = api.browserGet("/console/integrations/" + id, session).body();
        Map<String, String> form = new LinkedHashMap<>();
        if (withCsrf) {
            form.put("_csrf", match(CSRF, page));
        }
        form.put("etag", match(ETAG, page));
        form.put("resolvedAlerts", mode);
        return api.browserPost("/console/integrations/" + id + "/resolved-alerts", form, session, sameOrigin());
    }

    /** The label of the option selected in the resolved-alerts select. */
    private static String selected(String page) {
        int select = page.indexOf("id=\"resolvedAlerts\"");
        assertThat(select).as("the resolved-alerts select").isNotNegative();
        Matcher m = Pattern.compile("<option value=\"[a-z]+\"\\s+selected=\"selected\">([^<]*)</option>").matcher(page);
        assertThat(m.find(select)).as("a selected option").isTrue();
        assertThat(m.start()).isLessThan(page.indexOf("</select>", select));
        return m.group(1);
    }

    private JsonNode rules() throws Exception {
        return JSON.readTree(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/rules", ADMIN_KEY,
                null, null).body()).get("rules");
    }

    private JsonNode noise() throws Exception {
        return JSON.readTree(api.call("GET", "/v1/workspaces/" + ws + "/integrations/" + id + "/noise", ADMIN_KEY,
                null, null).body());
    }

    /** The error shown beside the input with this id: the first field-error paragraph after it. */
    private static String fieldError(String page, String inputId) {
        int input = page.indexOf("id=\"" + inputId + "\"");
        assertThat(input).as("input %s on the page", inputId).isNotNegative();
        Matcher m = Pattern.compile("<p class=\"field-error\">([^<]*)</p>").matcher(page);
        assertThat(m.find(input)).as("an error beside %s", inputId).isTrue();
        int nextInput = page.indexOf("<input", input + 1);
        assertThat(nextInput < 0 || m.start() < nextInput).as("the error of %s, not of a later field", inputId).isTrue();
        return m.group(1).replace("&#39;", "'").replace("&quot;", "\"");
    }

    private static String match(Pattern pattern, String page) {
        Matcher m = pattern.matcher(page);
        assertThat(m.find()).as("%s on the page", pattern).isTrue();
        return m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
    }

    private Map<String, String> sameOrigin() {
        return Map.of("Origin", api.base(), "Sec-Fetch-Site", "same-origin");
    }
}
