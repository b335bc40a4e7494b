package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.invitedEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every ingest call is authenticated, and a workspace key can only send events for its own workspace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestAuthTest {
    private static TopicProbe topic;
    private static String keyA;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TopicProbe.useTestInfrastructure(registry);
    }

    @BeforeAll
    static void workspaceKey() {
        topic = TopicProbe.platformEvents();
        keyA = WorkspaceKeys.create("ws_tenant_a", "key_a");
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;

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
}
