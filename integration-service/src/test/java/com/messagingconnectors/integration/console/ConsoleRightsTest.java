package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.integration.ApiTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed-in console session refused something is told what it lacks (403 naming the right), not asked for an API
 * key as an anonymous API call is (401); and the console does not offer a screen the session may not open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleRightsTest {
    static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    static final ObjectMapper JSON = Json.MAPPER;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestClient.serviceProperties(registry, "test:" + Base64.getEncoder().encodeToString(new byte[32]), ADMIN_KEY);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aSessionWithoutKeysManageIsToldWhatItLacksAndIsNotOfferedTheKeysScreen() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        String ws = ApiTestClient.workspace();
        String reader = key(api, ws, "[\"integrations:read\"]");
        String manager = key(api, ws, "[\"integrations:read\",\"keys:manage\"]");
        String readerSession = api.consoleLogin(reader);

        assertThat(api.browserGet("/console", readerSession).body()).doesNotContain("href=\"/console/api-keys\"");
        var refused = api.browserGet("/console/api-keys", readerSession);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("the scope keys:manage").doesNotContain("Authorization: Bearer");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();

        // a form posted without the page's token: the reason says what to do
        var noToken = api.browserPost("/console/api-keys", Map.of("name", "x", "scopes", "events:write"),
                api.consoleLogin(manager), Map.of("Origin", api.base(), "Sec-Fetch-Site", "same-origin"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("reload the page and try again");

        String managerSession = api.consoleLogin(manager);
        assertThat(api.browserGet("/console", managerSession).body()).contains("href=\"/console/api-keys\"");
        assertThat(api.browserGet("/console/api-keys", managerSession).statusCode()).isEqualTo(200);
    }

    @Test
    void anApiCallWithoutAKeyIsStillAskedForOne() throws Exception {
        ApiTestClient api = new ApiTestClient(port);
        var anonymous = api.call("GET", "/v1/workspaces/" + ApiTestClient.workspace() + "/integrations", null, null,
                null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    private static String key(ApiTestClient api, String ws, String scopes) throws Exception {
        var created = api.call("POST", "/v1/workspaces/" + ws + "/api-keys", ADMIN_KEY,
                "{\"name\":\"k-" + UUID.randomUUID() + "\",\"scopes\":" + scopes + "}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("key").asString("");
    }
}
