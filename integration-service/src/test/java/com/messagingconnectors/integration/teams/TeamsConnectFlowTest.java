package com.messagingconnectors.integration.teams;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.integration.ApiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Microsoft Teams connect flow, pickers and Workflows URL against a real broker and a local Microsoft stand-in. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TeamsConnectFlowTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final String REFRESH_TOKEN = "rt-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;
    static final MicrosoftStandIn microsoft = start();

    static MicrosoftStandIn start() {
        try {
            return new MicrosoftStandIn();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
        registry.add("connectors.teams.client-id", () -> "client-123");
        registry.add("connectors.teams.client-secret", () -> "client-secret-xyz");
        registry.add("connectors.teams.authority-base-url", () -> microsoft.url() + "/login");
        registry.add("connectors.teams.graph-base-url", () -> microsoft.url() + "/graph");
        registry.add("connectors.teams.public-base-url", () -> "https://connectors.example.com");
    }

    @AfterAll
    static void stop() {
        microsoft.close();
    }

    @Value("${local.server.port}")
    int port;

    ApiTestClient api;

    @BeforeEach
    void reset() {
        api = new ApiTestClient(port);
        microsoft.received.clear();
        microsoft.token = new MicrosoftStandIn.Answer(200, tokens(REFRESH_TOKEN));
    }

    @Test
    void signInWithPkceStoresTheRefreshTokenEncryptedAndThePickersUseIt() throws Exception {
        String ws = workspace();
        String id = createTeams(ws);
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;

        Started started = startSignIn(path);
        URI authorize = started.authorize();
        Map<String, String> query = query(authorize);
        assertThat(authorize.getPath()).isEqualTo("/login/organizations/oauth2/v2.0/authorize");
        assertThat(query).containsEntry("client_id", "client-123").containsEntry("response_type", "code")
                .containsEntry("redirect_uri", "https://connectors.example.com/oauth/microsoft/callback")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "code_challenge");
        assertThat(query.get("scope").split(" ")).contains("offline_access", "ChannelMessage.Send",
                "Team.ReadBasic.All", "Channel.ReadBasic.All");

        var done = callback("code=the-code&state=" + query.get("state"), started.cookie());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Microsoft Teams is connected", "ana@contoso.example");

        // the code was redeemed with the PKCE verifier whose S256 hash is the challenge sent to the browser
        Map<String, String> exchange = form(microsoft.to("/token").getFirst().body());
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", "the-code")
                .containsEntry("client_secret", "client-secret-xyz")
                .containsEntry("redirect_uri", "https://connectors.example.com/oauth/microsoft/callback");
        assertThat(TeamsConnector.codeChallenge(exchange.get("code_verifier"))).isEqualTo(query.get("code_challenge"));

        // stored encrypted: neither the API nor connectors.config shows it
        assertThat(call("GET", path, null).body()).doesNotContain(REFRESH_TOKEN);
        String stored = readConfigTopic();
        assertThat(stored).contains(id).contains("tenant-42").doesNotContain(REFRESH_TOKEN);

        // pickers: an access token is redeemed from the stored refresh token, then Graph is asked as that user
        microsoft.received.clear();
        microsoft.token = new MicrosoftStandIn.Answer(200, tokens("rt-rotated"));
        microsoft.joinedTeams = new MicrosoftStandIn.Answer(200, """
                {"value":[{"id":"team-1","displayName":"Analytics","description":"The data team"}]}""");
        var teams = call("GET", path + "/teams/teams", null);
        assertThat(teams.statusCode()).as(teams.body()).isEqualTo(200);
        assertThat(JSON.readTree(teams.body()).at("/teams/0/name").asString("")).isEqualTo("Analytics");
        assertThat(form(microsoft.to("/token").getFirst().body())).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", REFRESH_TOKEN);
        assertThat(microsoft.to("/token").getFirst().path()).isEqualTo("/login/tenant-42/oauth2/v2.0/token");
        assertThat(microsoft.to("/joinedTeams").getFirst().authorization()).isEqualTo("Bearer access-from-" + "rt-rotated");

        microsoft.channels = new MicrosoftStandIn.Answer(200, """
                {"value":[{"id":"19:abc@thread.tacv2","displayName":"General","membershipType":"standard"}]}""");
        var channels = call("GET", path + "/teams/teams/team-1/channels", null);
        assertThat(channels.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(channels.body()).at("/channels/0/id").asString("")).isEqualTo("19:abc@thread.tacv2");
        assertThat(microsoft.to("/channels").getFirst().path()).isEqualTo("/graph/v1.0/teams/team-1/channels");

        // choosing the channel is an ordinary update of the integration
        var chosen = call("PUT", path, """
                {"name":"Teams","channels":[{"id":"19:abc@thread.tacv2","name":"General","teamId":"team-1"}],
                 "defaultChannelId":"19:abc@thread.tacv2"}""");
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
    }

    @Test
    void aReplayedForgedOrOtherBrowserCallbackIsRefused() throws Exception {
        String ws = workspace();
        String path = "/v1/workspaces/" + ws + "/integrations/" + createTeams(ws);
        Started started = startSignIn(path);
        String state = query(started.authorize()).get("state");

        var otherBrowser = callback("code=c&state=" + state, null);
        assertThat(otherBrowser.statusCode()).isEqualTo(400);
        assertThat(otherBrowser.body()).contains("press Connect again").doesNotContain("Exception");
        // the state is single use: even the right browser cannot use it now
        assertThat(callback("code=c&state=" + state, started.cookie()).statusCode()).isEqualTo(400);
        assertThat(callback("code=c&state=forged", started.cookie()).statusCode()).isEqualTo(400);
        assertThat(microsoft.to("/token")).isEmpty();

        URI start = URI.create(started.startUrl());
        var usedTicket = api.browserGet(start.getRawPath() + "?" + start.getRawQuery(), null);
        assertThat(usedTicket.statusCode()).isEqualTo(400);
        assertThat(usedTicket.body()).contains("expired");
    }

    @Test
    void theSignInLinkOpensOnlyForAConsoleSessionOfTheKeyThatAskedForIt() throws Exception {
        String ws = workspace();
        String path = "/v1/workspaces/" + ws + "/integrations/" + createTeams(ws);
        String ownerKey = newKey(ws);
        var connect = api.call("POST", path + "/teams:connect", ownerKey, null, null);
        assertThat(connect.statusCode()).as(connect.body()).isEqualTo(200);
        URI start = URI.create(JSON.readTree(connect.body()).get("startUrl").asString(""));
        String link = start.getRawPath() + "?" + start.getRawQuery();

        var toLogin = api.browserGet(link, null);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/login?return="
                + java.net.URLEncoder.encode(link, StandardCharsets.UTF_8));

        String otherWorkspace = workspace();
        var refused = api.browserGet(link, api.consoleLogin(newKey(otherWorkspace)));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("another administrator", "Microsoft Teams");
        assertThat(microsoft.received).isEmpty();

        var redirect = api.browserGet(link, api.consoleLogin(ownerKey));
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI authorize = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        String cookie = ApiTestClient.cookie(redirect, "mc_connect");
        var done = callback("code=c&state=" + query(authorize).get("state"), cookie);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Microsoft Teams is connected");
    }

    @Test
    void declinedConsentAndAdminConsentRequiredEndOnAClearPage() throws Exception {
        String ws = workspace();
        String path = "/v1/workspaces/" + ws + "/integrations/" + createTeams(ws);

        Started declined = startSignIn(path);
        var denied = callback("error=access_denied&error_description=AADSTS65004%3A+User+declined&state="
                + query(declined.authorize()).get("state"), declined.cookie());
        assertThat(denied.statusCode()).isEqualTo(400);
        assertThat(denied.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(denied.body()).contains("Permissions were not granted", "accept them");

        Started admin = startSignIn(path);
        var needsAdmin = callback("error=consent_required&error_description=AADSTS65001%3A+The+user+or+administrator"
                + "+has+not+consented&state=" + query(admin.authorize()).get("state"), admin.cookie());
        assertThat(needsAdmin.statusCode()).isEqualTo(400);
        assertThat(needsAdmin.body()).contains("administrator", "/adminconsent?client_id=client-123");
        assertThat(microsoft.to("/token")).isEmpty();
    }

    @Test
    void aRefusedCodeExchangeEndsOnAClearPage() throws Exception {
        String ws = workspace();
        String id = createTeams(ws);
        String path = "/v1/workspaces/" + ws + "/integrations/" + id;
        microsoft.token = new MicrosoftStandIn.Answer(400, """
                {"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed. Trace ID: 1"}""");
        Started started = startSignIn(path);
        var refused = callback("code=old&state=" + query(started.authorize()).get("state"), started.cookie());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Microsoft refused the sign-in", "invalid_grant (AADSTS54005)")
                .doesNotContain("Trace ID");
        assertThat(readConfigTopic().lines().filter(l -> l.contains(id))).noneMatch(l -> l.contains("refresh_token"));

        // pickers before any successful sign-in: a problem saying to connect first
        var picker = call("GET", path + "/teams/teams", null);
        assertThat(picker.statusCode()).isEqualTo(409);
        assertThat(picker.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(picker.body()).contains("not connected");
    }

    @Test
    void aRevokedSignInMakesThePickersAskToReconnect() throws Exception {
        String ws = workspace();
        String path = "/v1/workspaces/" + ws + "/integrations/" + createTeams(ws);
        Started started = startSignIn(path);
        assertThat(callback("code=c&state=" + query(started.authorize()).get("state"), started.cookie()).statusCode())
                .isEqualTo(200);
        microsoft.token = new MicrosoftStandIn.Answer(400, """
                {"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked."}""");
        var picker = call("GET", path + "/teams/teams", null);
        assertThat(picker.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(picker.body()).get("detail").asString("")).contains("AADSTS50173", "connect Microsoft Teams again");
    }

    @Test
    void aWorkflowsUrlIsStoredEncryptedAndNeverReturned() throws Exception {
        String ws = workspace();
        String path = "/v1/workspaces/" + ws + "/integrations/" + createTeams(ws);
        String url = "https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=" + UUID.randomUUID();
        var stored = call("PUT", path + "/teams/workflow-url", "{\"url\":\"" + url + "\"}");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
        JsonNode integration = JSON.readTree(call("GET", path, null).body());
        assertThat(integration.toString()).doesNotContain("logic.azure.com");
        // the flow decides where cards go; routing gets one destination for it
        assertThat(integration.at("/channels/0/id").asString("")).isEqualTo("workflow");
        assertThat(integration.get("defaultChannelId").asString("")).isEqualTo("workflow");
        assertThat(readConfigTopic()).contains("\"mode\":\"workflow\"").doesNotContain("logic.azure.com");

        var plain = call("PUT", path + "/teams/workflow-url", "{\"url\":\"http://example.com/hook\"}");
        assertThat(plain.statusCode()).isEqualTo(422);
        assertThat(plain.body()).contains("must use https");
        // the same SSRF policy as webhook endpoints: no internal hosts, no other ports, nothing stored
        var internal = call("PUT", path + "/teams/workflow-url", "{\"url\":\"https://localhost/workflows/x?sig=s3cr3t\"}");
        assertThat(internal.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(internal.body()).at("/errors/0");
        assertThat(error.get("field").asString("")).isEqualTo("url");
        assertThat(error.get("problem").asString("")).contains("resolves to a non-public address");
        assertThat(internal.body()).doesNotContain("127.0.0.1").doesNotContain("s3cr3t");
        var metadata = call("PUT", path + "/teams/workflow-url", "{\"url\":\"https://169.254.169.254/latest\"}");
        assertThat(metadata.statusCode()).isEqualTo(422);
        var port = call("PUT", path + "/teams/workflow-url",
                "{\"url\":\"https://prod-12.westeurope.logic.azure.com:8443/workflows/abc\"}");
        assertThat(port.statusCode()).isEqualTo(422);
        assertThat(port.body()).contains("only ports 80 and 443 can be called");
        var slack = call("POST", "/v1/workspaces/" + ws + "/integrations", """
                {"kind":"slack","name":"Slack","channels":[{"id":"C1","name":"#general"}]}""");
        String slackId = JSON.readTree(slack.body()).get("id").asString("");
        assertThat(call("POST", "/v1/workspaces/" + ws + "/integrations/" + slackId + "/teams:connect", null).statusCode())
                .isEqualTo(409);
    }

    record Started(String startUrl, URI authorize, String cookie) {
    }

    private Started startSignIn(String integrationPath) throws Exception {
        var connect = call("POST", integrationPath + "/teams:connect", null);
        assertThat(connect.statusCode()).as(connect.body()).isEqualTo(200);
        String startUrl = JSON.readTree(connect.body()).get("startUrl").asString("");
        assertThat(startUrl).startsWith("https://connectors.example.com/oauth/microsoft/start?ticket=");
        URI start = URI.create(startUrl);
        var redirect = api.browserGet(start.getRawPath() + "?" + start.getRawQuery(), api.consoleLogin(ADMIN_KEY));
        assertThat(redirect.statusCode()).isEqualTo(302);
        String setCookie = redirect.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("mc_connect=").contains("HttpOnly", "SameSite=Lax", "Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Started(startUrl, URI.create(redirect.headers().firstValue("Location").orElseThrow()), cookie);
    }

    private HttpResponse<String> callback(String query, String cookie) throws Exception {
        return api.browserGet("/oauth/microsoft/callback?" + query, cookie);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return api.call(method, path, ADMIN_KEY, body, null);
    }

    private String newKey(String ws) throws Exception {
        var created = call("POST", "/v1/workspaces/" + ws + "/api-keys", "{\"name\":\"admin\",\"scopes\":[\"integrations:read\",\"integrations:write\",\"keys:manage\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("key").asString("");
    }

    private String createTeams(String ws) throws Exception {
        var created = call("POST", "/v1/workspaces/" + ws + "/integrations", "{\"kind\":\"teams\",\"name\":\"Teams\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString("");
    }

    /** A token endpoint answer with an ID token naming the user and tenant; the access token names the refresh token. */
    private static String tokens(String refreshToken) {
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"tid\":\"tenant-42\",\"preferred_username\":\"ana@contoso.example\",\"name\":\"Ana\"}"
                        .getBytes(StandardCharsets.UTF_8));
        return "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"scope\":\"ChannelMessage.Send Team.ReadBasic.All"
                + " Channel.ReadBasic.All\",\"access_token\":\"access-from-" + refreshToken + "\",\"refresh_token\":\""
                + refreshToken + "\",\"id_token\":\"eyJhbGciOiJub25lIn0." + claims + ".\"}";
    }

    private static Map<String, String> query(URI uri) {
        return form(uri.getRawQuery());
    }

    private static Map<String, String> form(String encoded) {
        return ApiTestClient.form(encoded);
    }

    private static String workspace() {
        return ApiTestClient.workspace();
    }

    private static String readConfigTopic() {
        return ApiTestClient.configTopicText();
    }
}
