package com.messagingconnectors.ingest;

import static com.messagingconnectors.ingest.IngestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
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
        registry.add("ingest.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("ingest.schema-registry-url", TestInfrastructure::schemaRegistryUrl);
    }

    @BeforeAll
    static void workspaceKey() {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        topic = new TopicProbe(Topics.PLATFORM_EVENTS);
        keyA = WorkspaceKeys.create("ws_tenant_a", "key_a");
    }

    @AfterAll
    static void closeProbe() {
        topic.close();
    }

    @LocalServerPort
    int port;

    private static String event(String workspace) {
        return q("{'type': 'user.invited', 'workspaceId': '" + workspace + "', 'summary': 'Ann was invited',"
                + " 'payload': {'userEmail': 'ann@example.com', 'invitedBy': 'bob@example.com'}}");
    }

    @Test
    void workspaceKeySendsForItsOwnWorkspaceOnly() {
        IngestClient tenantA = new IngestClient(port, keyA);
        // the key is known once the service's view of connectors.config has it
        await().atMost(Duration.ofSeconds(20)).until(
                () -> tenantA.postJson("/v1/events", event("ws_tenant_a")).statusCode() == 202);

        var before = topic.endOffsets();
        HttpResponse<String> other = tenantA.postJson("/v1/events", event("ws_tenant_b"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(other.body()).contains("ws_tenant_b").contains("nothing was published");

        HttpResponse<String> mixed = tenantA.postJson("/v1/events:batch",
                "{\"events\":[" + event("ws_tenant_a") + "," + event("ws_tenant_b") + "]}");
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(topic.endOffsets()).isEqualTo(before);
    }

    @Test
    void missingOrUnknownKeyIsRefused() {
        HttpResponse<String> none = new IngestClient(port, null).postJson("/v1/events", event("ws_tenant_a"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(none.body()).contains("Authorization: Bearer");
        // until the service has read connectors.config it cannot tell an unknown key from a new one: 503, then 401
        IngestClient unknownKey = new IngestClient(port, "mck_unknown");
        int status = await().atMost(Duration.ofSeconds(20)).until(
                () -> unknownKey.postJson("/v1/events", event("ws_tenant_a")).statusCode(), code -> code != 503);
        assertThat(status).isEqualTo(401);
    }
}
