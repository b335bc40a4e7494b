package com.messagingconnectors.config.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.testsupport.ChunkedUpload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import com.messagingconnectors.config.auth.ApiRoutes;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shared body limits on a real Tomcat, in front of an ordinary Spring MVC endpoint that reads its body with
 * Spring's own converter (as integration-service's and the senders' endpoints do).
 */
@SpringBootTest(classes = RequestBodyLimitFilterTest.EchoApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connectors.http.max-body-size=1KB", "connectors.http.body-read-timeout=1s"})
class RequestBodyLimitFilterTest {
    static final AtomicInteger handled = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @SpringBootApplication(proxyBeanMethods = false)
    @RestController
    static class EchoApplication {
        @PostMapping("/echo")
        String echo(@RequestBody String body) {
            handled.incrementAndGet();
            return "read " + body.length() + " bytes";
        }

        /** The shared API security denies undeclared routes: this one is open, so only the limits answer. */
        @org.springframework.context.annotation.Bean
        ApiRoutes echoRoute() {
            return routes -> routes.requestMatchers("/echo").permitAll();
        }
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void reset() {
        handled.set(0);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "text/plain").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodyWithinTheLimitReachesTheEndpoint() throws Exception {
        HttpResponse<String> response = post("x".repeat(1024));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("read 1024 bytes");
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeTheEndpointRuns() throws Exception {
        HttpResponse<String> response = post("x".repeat(1025));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":413", "\"reason\":\"too_large\"", "\"instance\":\"/echo\"",
                "larger than the limit of 1024 bytes");
        assertThat(handled).hasValue(0);
    }

    @Test
    void chunkedBodyIsRefusedAsSoonAsItPassesTheLimitWithoutWaitingForTheRest() throws Exception {
        try (ChunkedUpload upload = ChunkedUpload.start(port, "/echo", Map.of("Content-Type", "text/plain"))) {
            upload.send("x".repeat(1000));
            upload.send("x".repeat(100));
            // the body is not finished: the answer comes because the limit was passed, not because the body ended

            ChunkedUpload.Response response = upload.response();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"reason\":\"too_large\"", "limit of 1024 bytes");
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void chunkedBodyWithinTheLimitIsRead() throws Exception {
        try (ChunkedUpload upload = ChunkedUpload.start(port, "/echo", Map.of("Content-Type", "text/plain"))) {
            upload.send("x".repeat(600));
            upload.send("x".repeat(400));
            upload.finish();

            ChunkedUpload.Response response = upload.response();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("read 1000 bytes");
        }
    }

    @Test
    void bodyTricklingInSlowerThanTheReadTimeoutGets408() throws Exception {
        try (ChunkedUpload upload = ChunkedUpload.start(port, "/echo", Map.of("Content-Type", "text/plain"))) {
            upload.trickle("x".repeat(100), Duration.ofMillis(50)); // 5 s to send: far beyond the 1 s allowed

            ChunkedUpload.Response response = upload.response();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"reason\":\"body_timeout\"", "did not arrive within 1.0 s");
        }
        assertThat(handled).hasValue(0);
    }
}
