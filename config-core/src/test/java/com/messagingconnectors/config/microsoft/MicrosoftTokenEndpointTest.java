package com.messagingconnectors.config.microsoft;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token endpoint client against a local stand-in (JDK HttpServer). */
class MicrosoftTokenEndpointTest {
    record Received(String path, String form) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "{}";
    volatile String retryAfter;
    HttpServer server;
    MicrosoftTokenEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login", exchange -> {
            received.add(new Received(exchange.getRequestURI().getPath(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        endpoint = new MicrosoftTokenEndpoint(HttpClient.newHttpClient(),
                "http://127.0.0.1:" + server.getAddress().getPort() + "/login/", "organizations", "client-1",
                "secret-1", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void redeemsACodeWithItsVerifierAtTheDefaultTenant() {
        answer = """
                {"token_type":"Bearer","expires_in":3599,"scope":"ChannelMessage.Send","access_token":"at",
                 "refresh_token":"rt","id_token":"a.b.c"}""";
        TokenAnswer tokens = endpoint.redeemCode("the-code", "the-verifier", "https://x.example/cb", TeamsScopes.SIGN_IN);

        assertThat(tokens.ok()).isTrue();
        assertThat(tokens).extracting(TokenAnswer::accessToken, TokenAnswer::refreshToken, TokenAnswer::idToken,
                TokenAnswer::expiresInSeconds).containsExactly("at", "rt", "a.b.c", 3599L);
        Received request = received.getFirst();
        assertThat(request.path()).isEqualTo("/login/organizations/oauth2/v2.0/token");
        assertThat(request.form().split("&")).containsExactly("grant_type=authorization_code", "client_id=client-1",
                "client_secret=secret-1", "code=the-code", "redirect_uri=https%3A%2F%2Fx.example%2Fcb",
                "code_verifier=the-verifier",
                "scope=openid+profile+offline_access+ChannelMessage.Send+Team.ReadBasic.All+Channel.ReadBasic.All");
    }

    @Test
    void aRevokedRefreshTokenIsASignInLostWithItsAadstsCodeAndNoTraceIds() {
        status = 400;
        answer = """
                {"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked. Trace ID: 42"}""";
        TokenAnswer refused = endpoint.refresh("tenant-7", "rt-old", TeamsScopes.DELIVERY);

        assertThat(received.getFirst().path()).isEqualTo("/login/tenant-7/oauth2/v2.0/token");
        assertThat(received.getFirst().form()).startsWith("grant_type=refresh_token&").contains("&refresh_token=rt-old&");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.signInLost()).isTrue();
        assertThat(refused.describeError()).isEqualTo("invalid_grant (AADSTS50173)");
    }

    @Test
    void throttlingKeepsRetryAfterAndAnUnreachableEndpointThrows() {
        status = 429;
        retryAfter = "7";
        answer = "";
        TokenAnswer throttled = endpoint.refresh(null, "rt", TeamsScopes.DELIVERY);
        assertThat(throttled.retryAfter()).isEqualTo("7");
        assertThat(throttled.describeError()).isEqualTo("HTTP 429");
        assertThat(throttled.signInLost()).isFalse();

        server.stop(0);
        assertThatThrownBy(() -> endpoint.refresh(null, "rt", TeamsScopes.DELIVERY))
                .isInstanceOf(TokenEndpointUnreachableException.class).hasMessageContaining("could not be reached");
    }
}
