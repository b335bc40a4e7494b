package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import com.messagingconnectors.config.kinds.TeamsKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** TeamsChannel against WireMock standing in for the Microsoft identity platform, Graph and a Workflows URL. */
class TeamsChannelTest {
    static final ObjectMapper JSON = Json.MAPPER;
    static final String TOKEN_PATH = "/login/tenant-1/oauth2/v2.0/token";
    static final String MESSAGES_PATH = "/graph/v1.0/teams/team-1/channels/19%3Achan%40thread.tacv2/messages";
    static final String REFRESH_TOKEN = "refresh-secret-" + System.nanoTime();
    static WireMockServer microsoft;

    final SecretBox box = new SecretBox(Map.of("k1", new byte[32]), "k1");
    final List<GuardedHttpClient> clients = new ArrayList<>();
    TeamsChannel channel;

    @BeforeAll
    static void start() {
        microsoft = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        microsoft.start();
    }

    @AfterAll
    static void stop() {
        microsoft.stop();
    }

    @BeforeEach
    void reset() {
        microsoft.resetAll();
        TeamsProperties properties = new TeamsProperties("client-1", "client-secret-1",
                microsoft.baseUrl() + "/login", microsoft.baseUrl() + "/graph", "organizations",
                Duration.ofSeconds(5), Duration.ofSeconds(10), 4);
        // local mode: WireMock plays the Workflows URL on loopback
        channel = channel(properties, new AddressPolicy(List.of(), List.of(), true));
    }

    @AfterEach
    void closeClients() throws IOException {
        for (GuardedHttpClient client : clients) {
            client.close();
        }
    }

    private TeamsChannel channel(TeamsProperties properties, AddressPolicy policy) {
        GuardedHttpClient workflows = GuardedHttpClient.create(policy, TeamsChannel.workflowClientSettings(properties));
        clients.add(workflows);
        return new TeamsChannel(properties, box, workflows);
    }

    /** A channel that waits at most 1 s for an answer. */
    private TeamsChannel impatientChannel() {
        return channel(new TeamsProperties("client-1", "client-secret-1", microsoft.baseUrl() + "/login",
                microsoft.baseUrl() + "/graph", "organizations", Duration.ofSeconds(2), Duration.ofSeconds(1), 4),
                new AddressPolicy(List.of(), List.of(), true));
    }

    /** A channel as in production (no local mode) with WireMock's address or port allowed. */
    private TeamsChannel productionChannel(List<String> allow, List<String> allowedPorts) {
        return channel(new TeamsProperties("client-1", "client-secret-1", microsoft.baseUrl() + "/login",
                microsoft.baseUrl() + "/graph", "organizations", Duration.ofSeconds(2), Duration.ofSeconds(2), 4),
                new AddressPolicy(allow, allowedPorts, false));
    }

    @Test
    void postsTheCardAsAChannelMessageAttachmentAndReusesTheAccessToken() throws Exception {
        tokenEndpointIssues("access-1");
        microsoft.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"1700000000000\"}")));

        assertThat(channel.deliver(graphRequest())).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(channel.deliver(graphRequest())).isInstanceOf(DeliveryOutcome.Delivered.class);

        List<LoggedRequest> tokenCalls = microsoft.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(tokenCalls).hasSize(1);
        String form = tokenCalls.getFirst().getBodyAsString();
        assertThat(form).contains("grant_type=refresh_token", "client_id=client-1", "refresh_token=" + REFRESH_TOKEN,
                "scope=offline_access+ChannelMessage.Send");
        List<LoggedRequest> posts = microsoft.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
        assertThat(posts).hasSize(2);
        assertThat(posts.getFirst().getHeader("Authorization")).isEqualTo("Bearer access-1");
        JsonNode message = JSON.readTree(posts.getFirst().getBodyAsString());
        String attachmentId = message.at("/attachments/0/id").asString("");
        assertThat(message.at("/body/contentType").asString("")).isEqualTo("html");
        assertThat(message.at("/body/content").asString("")).isEqualTo("<attachment id=\"" + attachmentId + "\"></attachment>");
        assertThat(message.at("/attachments/0/contentType").asString("")).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = JSON.readTree(message.at("/attachments/0/content").asString(""));
        assertThat(card.get("type").asString("")).isEqualTo("AdaptiveCard");
        assertThat(card.toString()).contains("Alert: Error rate");
    }

    @Test
    void anExpiredAccessTokenIsRenewedAndTheMessageSentOnce() {
        tokenEndpointIssues("access-old");
        microsoft.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(201)));
        assertThat(channel.deliver(graphRequest())).isInstanceOf(DeliveryOutcome.Delivered.class);

        // the cached token has expired at Graph's side: Graph says 401, the channel renews and sends again, once
        microsoft.resetAll();
        tokenEndpointIssues("access-new");
        microsoft.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).withHeader("Authorization", equalTo("Bearer access-old"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                        + "\"message\":\"Access token has expired.\"}}")));
        microsoft.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).withHeader("Authorization", equalTo("Bearer access-new"))
                .willReturn(aResponse().withStatus(201)));

        assertThat(channel.deliver(graphRequest())).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(1);
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).hasSize(2);
    }

    @Test
    void aRevokedSignInDisconnectsTheIntegration() {
        microsoft.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has"
                        + " expired due to it being revoked. Trace ID: abc\"}")));
        DeliveryOutcome outcome = channel.deliver(graphRequest());
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.reason()).isEqualTo(FailureReason.auth);
            assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
            assertThat(p.detail()).contains("invalid_grant", "AADSTS50173", "reconnect Microsoft Teams")
                    .doesNotContain(REFRESH_TOKEN).doesNotContain("Trace ID");
        });
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
    }

    @Test
    void aStillRefusedFreshTokenMarksTheIntegrationUnhealthy() {
        tokenEndpointIssues("access-1");
        microsoft.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(401)));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
            assertThat(p.httpStatus()).isEqualTo(401);
        });
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).hasSize(2);
    }

    @Test
    void throttlingIsRetryableAfterRetryAfter() {
        tokenEndpointIssues("access-1");
        graphAnswers(aResponse().withStatus(429).withHeader("Retry-After", "7"));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class, r -> {
            assertThat(r.reason()).isEqualTo(FailureReason.rate_limited);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        });
        graphAnswers(aResponse().withStatus(503).withHeader("Retry-After", "3"));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class, r -> {
            assertThat(r.reason()).isEqualTo(FailureReason.server);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        });
    }

    @Test
    void serverErrorsAndTimeoutsAreRetryable() {
        tokenEndpointIssues("access-1");
        graphAnswers(aResponse().withStatus(502));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                r -> assertThat(r.reason()).isEqualTo(FailureReason.server));
        // no token call on this path, so the 1 s limit only meets the slow answer
        microsoft.stubFor(post(urlPathEqualTo("/workflows/slow")).willReturn(aResponse().withStatus(202)
                .withFixedDelay(3_000)));
        assertThat(impatientChannel().deliver(workflowRequest(microsoft.baseUrl() + "/workflows/slow")))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo(FailureReason.timeout));
    }

    @Test
    void aForbiddenChannelIsPermanentAndSaysWhatToDo() {
        tokenEndpointIssues("access-1");
        graphAnswers(aResponse().withStatus(403).withBody("{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing role permissions\"}}"));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.reason()).isEqualTo(FailureReason.auth);
            assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
            assertThat(p.detail()).contains("#alerts", "Forbidden: Missing role permissions", "pick another channel");
        });
    }

    @Test
    void aDeletedChannelIsPermanentAndSaysWhatToDo() {
        tokenEndpointIssues("access-1");
        graphAnswers(aResponse().withStatus(404).withBody("{\"error\":{\"code\":\"NotFound\",\"message\":\"Channel not found\"}}"));
        assertThat(channel.deliver(graphRequest())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.reason()).isEqualTo(FailureReason.destination_gone);
            assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
            assertThat(p.detail()).contains("deleted", "pick another channel");
        });
    }

    @Test
    void workflowModePostsTheMessageEnvelopeToTheStoredUrl() throws Exception {
        microsoft.stubFor(post(urlPathEqualTo("/workflows/abc/triggers/manual/paths/invoke"))
                .willReturn(aResponse().withStatus(202)));
        String url = microsoft.baseUrl() + "/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t";
        assertThat(channel.deliver(workflowRequest(url))).isInstanceOf(DeliveryOutcome.Delivered.class);

        LoggedRequest sent = microsoft.findAll(postRequestedFor(urlPathEqualTo("/workflows/abc/triggers/manual/paths/invoke"))).getFirst();
        assertThat(sent.queryParameter("sig").firstValue()).isEqualTo("s3cr3t");
        JsonNode envelope = JSON.readTree(sent.getBodyAsString());
        assertThat(envelope.get("type").asString("")).isEqualTo("message");
        assertThat(envelope.at("/attachments/0/contentType").asString("")).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(envelope.at("/attachments/0/content/type").asString("")).isEqualTo("AdaptiveCard");
        assertThat(envelope.at("/attachments/0/content/version").asString("")).isEqualTo("1.5");
        assertThat(microsoft.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).isEmpty();
    }

    @Test
    void aDeletedWorkflowIsPermanentWithoutShowingItsUrl() {
        microsoft.stubFor(post(urlPathEqualTo("/workflows/gone")).willReturn(aResponse().withStatus(404)));
        String url = microsoft.baseUrl() + "/workflows/gone?sig=s3cr3t";
        assertThat(channel.deliver(workflowRequest(url))).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.reason()).isEqualTo(FailureReason.destination_gone);
            assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
            assertThat(p.detail()).doesNotContain("s3cr3t").doesNotContain("/workflows/gone");
        });
        microsoft.stubFor(post(urlPathEqualTo("/workflows/busy")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "2")));
        assertThat(channel.deliver(workflowRequest(microsoft.baseUrl() + "/workflows/busy")))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void aWorkflowsUrlResolvingToLoopbackIsRefusedWithoutARequest() {
        microsoft.stubFor(post(urlPathEqualTo("/workflows/internal")).willReturn(aResponse().withStatus(202)));
        // WireMock's port is allowed: the address check alone stands between the channel and WireMock
        TeamsChannel production = productionChannel(List.of(), List.of(Integer.toString(microsoft.port())));
        for (String host : List.of("127.0.0.1", "localhost")) {
            String url = "http://" + host + ":" + microsoft.port() + "/workflows/internal?sig=s3cr3t";
            assertThat(production.deliver(workflowRequest(url))).as(host)
                    .isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
                        assertThat(p.reason()).isEqualTo(FailureReason.invalid);
                        assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
                        assertThat(p.detail()).contains("non-public address (loopback)", "set a new Workflows URL")
                                .doesNotContain("s3cr3t").doesNotContain("/workflows/internal");
                    });
        }
        assertThat(microsoft.getAllServeEvents()).isEmpty();
    }

    @Test
    void aWorkflowsUrlOnAPortThatIsNotAllowedIsRefusedWithoutARequest() {
        microsoft.stubFor(post(urlPathEqualTo("/workflows/port")).willReturn(aResponse().withStatus(202)));
        TeamsChannel production = productionChannel(List.of("127.0.0.1/32"), List.of());
        String url = "http://127.0.0.1:" + microsoft.port() + "/workflows/port?sig=s3cr3t";

        assertThat(production.deliver(workflowRequest(url))).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> {
                    assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
                    assertThat(p.detail()).contains("on port " + microsoft.port(), "connectors.ssrf.allowed-ports")
                            .doesNotContain("s3cr3t");
                });
        assertThat(microsoft.getAllServeEvents()).isEmpty();
        // the same URL with its port allowed is delivered
        assertThat(productionChannel(List.of("127.0.0.1/32"), List.of(Integer.toString(microsoft.port())))
                .deliver(workflowRequest(url))).isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    @Test
    void anIntegrationThatWasNeverConnectedIsPermanent() {
        IntegrationConfig bare = integration(Map.of(), Map.of());
        DeliveryOutcome outcome = channel.deliver(new DeliveryRequest(
                Events.notification(Events.samples().get("alert.triggered"), bare.id(), "19:chan@thread.tacv2"),
                bare, bare.channels().getFirst(), 1, false));
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.status()).isEqualTo(IntegrationEffect.DISCONNECTED));
    }

    private void tokenEndpointIssues(String accessToken) {
        microsoft.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson("{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                + "\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"rotated\"}")));
    }

    private void graphAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        MappingBuilder stub = post(urlPathEqualTo(MESSAGES_PATH)).willReturn(answer);
        microsoft.stubFor(stub);
    }

    private DeliveryRequest graphRequest() {
        IntegrationConfig integration = integration(Map.of(TeamsKind.REFRESH_TOKEN, REFRESH_TOKEN),
                Map.of("tenant_id", "tenant-1"));
        return new DeliveryRequest(Events.notification(Events.samples().get("alert.triggered"), integration.id(),
                "19:chan@thread.tacv2"), integration, integration.channels().getFirst(), 1, false);
    }

    private DeliveryRequest workflowRequest(String url) {
        IntegrationConfig integration = integration(Map.of(TeamsKind.WORKFLOW_URL, url), Map.of("mode", "workflow"));
        return new DeliveryRequest(Events.notification(Events.samples().get("report.completed"), integration.id(),
                "19:chan@thread.tacv2"), integration, integration.channels().getFirst(), 1, false);
    }

    private IntegrationConfig integration(Map<String, String> secrets, Map<String, String> properties) {
        Map<String, EncryptedSecret> sealed = new HashMap<>();
        secrets.forEach((name, value) -> sealed.put(name, box.seal(value, SecretPurposes.credential("ws_1", "int_t", name))));
        ChannelConfig chan = new TeamsChannelConfig("19:chan@thread.tacv2", "#alerts", "team-1");
        return new IntegrationConfig("int_t", "ws_1", IntegrationKind.teams, "Teams", true, Map.of("alert.triggered", true),
                chan.id(), List.of(chan), List.of(), sealed, properties, 1, Instant.now(), Instant.now());
    }
}
