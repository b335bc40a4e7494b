package com.messagingconnectors.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The Slack channel against WireMock standing in for slack.com: every answer Slack gives and what it comes to. */
class SlackChannelTest {
    static WireMockServer slack;
    SlackChannel channel;

    @BeforeAll
    static void startSlack() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
    }

    @AfterAll
    static void stopSlack() {
        slack.stop();
    }

    @BeforeEach
    void reset() {
        slack.resetAll();
        channel = new SlackChannel(SlackSenderConfiguration.slackMethods(slack.baseUrl(), Duration.ofSeconds(2)),
                SlackFixtures.SECRETS);
    }

    @Test
    void postsBlockKitToTheChannelWithTheBotToken() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"ts\":\"1.2\"}")));
        DeliveryOutcome outcome = deliver(SlackFixtures.integration("chat:write", Map.of()));
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        slack.verify(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer " + SlackFixtures.TOKEN))
                .withRequestBody(containing("channel=C_analytics"))
                .withRequestBody(containing("blocks="))
                .withRequestBody(containing("Weekly%20revenue")));
    }

    @Test
    void http429HonoursRetryAfter() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isEqualTo(new DeliveryOutcome.Retryable(FailureReason.rate_limited, "HTTP 429 ratelimited",
                        Duration.ofSeconds(7), 429));
    }

    @Test
    void ratelimitedErrorIsRetried() {
        stubError("ratelimited");
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo(FailureReason.rate_limited));
    }

    @Test
    void serverErrorsAreRetried() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(503).withBody("down")));
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class, r -> {
                    assertThat(r.reason()).isEqualTo(FailureReason.server);
                    assertThat(r.httpStatus()).isEqualTo(503);
                });
        stubError("internal_error");
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOf(DeliveryOutcome.Retryable.class);
    }

    @Test
    void aSlowSlackIsATimeout() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true}").withFixedDelay(3000)));
        channel = new SlackChannel(SlackSenderConfiguration.slackMethods(slack.baseUrl(), Duration.ofMillis(300)),
                SlackFixtures.SECRETS);
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo(FailureReason.timeout));
    }

    @Test
    void anUnreachableSlackIsAConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        channel = new SlackChannel(SlackSenderConfiguration.slackMethods("http://127.0.0.1:" + closedPort,
                Duration.ofSeconds(2)), SlackFixtures.SECRETS);
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo(FailureReason.connection));
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel_not_found", "is_archived"})
    void aGoneChannelIsPermanentAndMarksTheIntegrationUnhealthy(String error) {
        stubError(error);
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
                    assertThat(p.reason()).isEqualTo(FailureReason.destination_missing);
                    assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
                    assertThat(p.detail()).contains(error).contains("pick another channel");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg_too_long", "invalid_blocks"})
    void aMessageSlackRefusesIsPermanent(String error) {
        stubError(error);
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isEqualTo(new DeliveryOutcome.Permanent(FailureReason.invalid, "Slack error " + error, 200,
                        IntegrationEffect.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_auth", "token_revoked", "account_inactive"})
    void aDeadTokenIsPermanentAndMarksTheIntegrationUnhealthy(String error) {
        stubError(error);
        assertThat(deliver(SlackFixtures.integration("chat:write", Map.of())))
                .isEqualTo(new DeliveryOutcome.Permanent(FailureReason.auth, "the Slack token no longer works ("
                        + error + "); reconnect Slack", 200, IntegrationEffect.UNHEALTHY));
    }

    @Test
    void notInChannelJoinsWhenTheScopeAllowsAndPostsAgain() {
        slack.stubFor(post("/api/chat.postMessage").inScenario("join").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")).willSetStateTo("joined"));
        slack.stubFor(post("/api/conversations.join")
                .willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"C_analytics\"}}")));
        slack.stubFor(post("/api/chat.postMessage").inScenario("join").whenScenarioStateIs("joined")
                .willReturn(okJson("{\"ok\":true,\"ts\":\"1.2\"}")));
        assertThat(deliver(SlackFixtures.integration("chat:write,channels:read,channels:join", Map.of())))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        slack.verify(1, postRequestedFor(urlEqualTo("/api/conversations.join"))
                .withRequestBody(containing("channel=C_analytics")));
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void notInChannelWithoutJoinScopeAsksTheAdminToInviteTheApp() {
        stubError("not_in_channel");
        assertThat(deliver(SlackFixtures.integration("chat:write,channels:read", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
                    assertThat(p.detail()).contains("invite the app to #analytics-team");
                    assertThat(p.status()).isEqualTo(IntegrationEffect.UNHEALTHY);
                });
        slack.verify(0, postRequestedFor(urlEqualTo("/api/conversations.join")));
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void aPrivateChannelTheAppCannotJoinAsksForAnInvitation() {
        stubError("not_in_channel");
        slack.stubFor(post("/api/conversations.join")
                .willReturn(okJson("{\"ok\":false,\"error\":\"method_not_supported_for_channel_type\"}")));
        assertThat(deliver(SlackFixtures.integration("chat:write,channels:join", Map.of())))
                .isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                        p -> assertThat(p.detail()).contains("invite the app to #analytics-team"));
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void aRevokedIntegrationDeadLettersWithoutCallingSlack() {
        IntegrationConfig revoked = SlackFixtures.integration("chat:write", Map.of("slack_connection", "revoked"));
        assertThat(deliver(revoked)).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> {
            assertThat(p.status()).isEqualTo(IntegrationEffect.DISCONNECTED);
            assertThat(p.detail()).contains("uninstalled or its token revoked");
        });
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    private DeliveryOutcome deliver(IntegrationConfig integration) {
        return channel.deliver(SlackFixtures.request(integration,
                SlackFixtures.reportCompleted("Weekly revenue", "Weekly revenue is ready")));
    }

    private static void stubError(String error) {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));
    }
}
