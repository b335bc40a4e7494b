package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.invitedEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.testsupport.PathTricks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every ingest call is authenticated, needs the events:write scope, and a workspace key can only send events for its
 * own workspace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestAuthTest {
    private static TopicProbe topic;
    private static String keyA;
    /** A key of the same workspace that may read integrations but not send events. */
    private static String readOnlyKey;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TopicProbe.useTestInfrastructure(registry);
    }

    @BeforeAll
    static void workspaceKey() {
        topic = TopicProbe.platformEvents();
        keyA = WorkspaceKeys.create("ws_tenant_a", "key_a", "events:write");
        readOnlyKey = WorkspaceKeys.create("ws_tenant_a", "key_read", "integrations:read");
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    @Test
    void workspaceKeySendsForItsOwnWorkspaceOnly() {
        IngestClient tenantA = new IngestClient(port, keyA);
        // the key is known once the service's view of connectors.config has it
        await().atMost(Duration.ofSeconds(20)).until(
                () -> tenantA.postJson("/v1/events", invitedEvent("ws_tenant_a")).statusCode() == 202);

        var before = topic.endOffsets();
        HttpResponse<String> other = tenantA.postJson("/v1/events", invitedEvent("ws_tenant_b"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(other.body()).contains("ws_tenant_b").contains("nothing was published");

        HttpResponse<String> mixed = tenantA.postJson("/v1/events:batch",
                "{\"events\":[" + invitedEvent("ws_tenant_a") + "," + invitedEvent("ws_tenant_b") + "]}");
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void missingOrUnknownKeyIsRefused() {
        HttpResponse<String> none = new IngestClient(port, null).postJson("/v1/events", invitedEvent("ws_tenant_a"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(none.body()).contains("Authorization: Bearer");
        // until the service has read connectors.config it cannot tell an unknown key from a new one: 503, then 401
        IngestClient unknownKey = new IngestClient(port, "mck_unknown");
        int status = await().atMost(Duration.ofSeconds(20)).until(
                () -> unknownKey.postJson("/v1/events", invitedEvent("ws_tenant_a")).statusCode(), code -> code != 503);
        assertThat(status).isEqualTo(401);
    }

    @Test
    void aKeyWithoutTheEventsScopeCannotSendEvents() {
        IngestClient tenantA = new IngestClient(port, keyA);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> tenantA.postJson("/v1/events", invitedEvent("ws_tenant_a")).statusCode() == 202);
        var before = topic.endOffsets();
        HttpResponse<String> refused = new IngestClient(port, readOnlyKey).postJson("/v1/events",
                invitedEvent("ws_tenant_a"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("events:write");
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    /** Every /v1 route ingest serves, spelled every way an attacker would try: never accepted, nothing published. */
    @Test
    void noSpellingOfAnIngestRouteGetsPastAuthentication() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(
                () -> new IngestClient(port, keyA).postJson("/v1/events", invitedEvent("ws_tenant_a")).statusCode() == 202);
        List<String> routes = handlers.getHandlerMethods().keySet().stream()
                .flatMap(info -> info.getPatternValues().stream()).filter(p -> p.startsWith("/v1/")).toList();
        assertThat(routes).contains("/v1/events", "/v1/events:batch");
        var before = topic.endOffsets();
        List<String> failures = new java.util.ArrayList<>();
        for (String route : routes) {
            String body = route.endsWith(":batch") ? "{\"events\":[" + invitedEvent("ws_tenant_a") + "]}" : invitedEvent("ws_tenant_a");
            for (PathTricks.Variant variant : PathTricks.of(route, java.util.Map.of(), null)) {
                for (String key : new String[] {null, readOnlyKey, keyA}) {
                    int status = PathTricks.send(port, "POST", variant.rawPath(), key == null ? null : "Bearer " + key,
                            body);
                    java.util.Set<Integer> allowed = key == null ? java.util.Set.of(400, 401)
                            : java.util.Set.of(400, 403, 404, 405);
                    if (!allowed.contains(status)) {
                        failures.add(variant.rawPath() + " (" + variant.trick() + ", "
                                + (key == null ? "no key" : key.equals(keyA) ? "events key" : "read-only key")
                                + ") → " + status);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(topic.endOffsets()).as("nothing published").isEqualTo(before);
    }
}
