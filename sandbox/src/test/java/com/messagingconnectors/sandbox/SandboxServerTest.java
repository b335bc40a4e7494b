package com.messagingconnectors.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.testsupport.ChunkedUpload;

class SandboxServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = SandboxJson.MAPPER;
    private SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = new SandboxServer(0).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void recordsAPostedWebhookAndListsIt() throws Exception {
        HttpResponse<String> delivery = send(HttpRequest.newBuilder(uri("/webhook"))
                .header("Content-Type", "application/json")
                .header("webhook-id", "n-123")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"report.completed\",\"data\":{\"id\":7}}")));

        assertThat(delivery.statusCode()).isEqualTo(200);
        assertThat(json.readTree(delivery.body())).isEqualTo(json.readTree("{\"ok\":true}"));

        JsonNode listed = json.readTree(get("/api/requests").body());
        assertThat(listed).hasSize(1);
        JsonNode recorded = listed.get(0);
        assertThat(recorded.get("method").asString("")).isEqualTo("POST");
        assertThat(recorded.get("path").asString("")).isEqualTo("/webhook");
        assertThat(recorded.get("headers").get("webhook-id").asString("")).isEqualTo("n-123");
        assertThat(recorded.get("headers").get("content-type").asString("")).isEqualTo("application/json");
        assertThat(json.readTree(recorded.get("body").asString("")))
                .isEqualTo(json.readTree("{\"type\":\"report.completed\",\"data\":{\"id\":7}}"));
        assertThat(recorded.get("receivedAt").asString("")).isNotBlank();
    }

    @Test
    void listsNewestFirstFiltersByPathAndClears() throws Exception {
        send(HttpRequest.newBuilder(uri("/webhook")).POST(HttpRequest.BodyPublishers.ofString("first")));
        send(HttpRequest.newBuilder(uri("/webhooks/customer-a")).PUT(HttpRequest.BodyPublishers.ofString("second")));
        send(HttpRequest.newBuilder(uri("/webhook")).POST(HttpRequest.BodyPublishers.ofString("third")));

        JsonNode all = json.readTree(get("/api/requests").body());
        assertThat(all).extracting(n -> n.get("body").asString("")).containsExactly("third", "second", "first");

        JsonNode filtered = json.readTree(get("/api/requests?path=/webhooks/customer-a").body());
        assertThat(filtered).extracting(n -> n.get("method").asString("") + " " + n.get("body").asString(""))
                .containsExactly("PUT second");

        HttpResponse<String> cleared = send(HttpRequest.newBuilder(uri("/api/requests")).DELETE());
        assertThat(json.readTree(cleared.body()).get("cleared").asInt(0)).isEqualTo(3);
        assertThat(json.readTree(get("/api/requests").body())).isEmpty();
    }

    @Test
    void aPathToldToFailAnswersThatStatusUntilToldToRecover() throws Exception {
        HttpResponse<String> told = send(HttpRequest.newBuilder(uri("/api/answers?path=/hooks/broken&status=503"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(told.statusCode()).isEqualTo(200);

        assertThat(send(HttpRequest.newBuilder(uri("/hooks/broken")).POST(HttpRequest.BodyPublishers.ofString("a")))
                .statusCode()).isEqualTo(503);
        assertThat(send(HttpRequest.newBuilder(uri("/hooks/fine")).POST(HttpRequest.BodyPublishers.ofString("b")))
                .statusCode()).isEqualTo(200);

        send(HttpRequest.newBuilder(uri("/api/answers?path=/hooks/broken")).DELETE());
        assertThat(send(HttpRequest.newBuilder(uri("/hooks/broken")).POST(HttpRequest.BodyPublishers.ofString("c")))
                .statusCode()).isEqualTo(200);
        // the failed attempt was recorded too
        assertThat(json.readTree(get("/api/requests?path=/hooks/broken").body()))
                .extracting(n -> n.get("body").asString("")).containsExactly("c", "a");
        assertThat(send(HttpRequest.newBuilder(uri("/api/answers?path=/hooks/x&status=99"))
                .PUT(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(400);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413OnEveryPathAndNotRecorded() throws Exception {
        // declared too large: refused before a byte of it is sent
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sandbox.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /hooks/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2147483648\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        // chunked: cut off once past the limit, on the receiver paths and the Slack and Microsoft stand-ins alike
        for (String path : new String[] {"/hooks/big", "/slack/api/chat.postMessage", "/microsoft/workflows/big"}) {
            try (ChunkedUpload upload = ChunkedUpload.start(sandbox.port(), path,
                    Map.of("Content-Type", "application/json"))) {
                int sent = 0;
                String chunk = "x".repeat(8_192);
                for (int i = 0; i < 8_192 && upload.send(chunk); i++) {
                    sent++; // 64 MiB unless the answer comes first (socket buffers take a few MiB unread)
                }
                ChunkedUpload.Response response = upload.response();
                assertThat(response.status()).as(path).isEqualTo(413);
                assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
                assertThat(json.readTree(response.body()).get("detail").asString(""))
                        .isEqualTo("the request body is larger than 1048576 bytes");
                assertThat(sent).as(path + ": chunks sent before the answer").isLessThan(8_192);
            }
        }
        assertThat(json.readTree(get("/api/requests").body())).isEmpty();

        // up to the limit is fine
        HttpResponse<String> atLimit = send(HttpRequest.newBuilder(uri("/hooks/big"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(SandboxHttp.MAX_BODY_BYTES))));
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(json.readTree(get("/api/requests").body())).hasSize(1);
    }

    @Test
    void answersAreValidatedAndTheirNumberIsBounded() throws Exception {
        for (String bad : new String[] {"path=/hooks/x&status=99", "path=/hooks/x&status=100", "path=/hooks/x&status=600",
                "path=/hooks/x&status=abc", "path=/hooks/x", "status=503", "path=hooks&status=503",
                "path=/api/requests&status=503", "path=/" + "a".repeat(SandboxServer.MAX_ANSWER_PATH) + "&status=503"}) {
            HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/answers?" + bad))
                    .PUT(HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/api/answers?path=/" + "a".repeat(SandboxServer.MAX_ANSWER_PATH)))
                .DELETE()).statusCode()).isEqualTo(400);
        assertThat(putAnswer("/" + "a".repeat(SandboxServer.MAX_ANSWER_PATH - 1), 503).statusCode()).isEqualTo(200);

        for (int i = 1; i < SandboxServer.CAPACITY; i++) {
            assertThat(putAnswer("/hooks/" + i, 500 + i % 100).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> full = putAnswer("/hooks/one-too-many", 503);
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(json.readTree(full.body()).get("error").asString("")).contains("1000 paths are already told to fail");
        assertThat(send(HttpRequest.newBuilder(uri("/hooks/one-too-many")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(200);
        // a path already told can be told again, and a freed place can be taken
        assertThat(putAnswer("/hooks/1", 429).statusCode()).isEqualTo(200);
        send(HttpRequest.newBuilder(uri("/api/answers?path=/hooks/1")).DELETE());
        assertThat(putAnswer("/hooks/one-too-many", 503).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/hooks/one-too-many")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(503);
    }

    @Test
    void theRequestLogKeepsTheNewestThousand() throws Exception {
        for (int i = 0; i < SandboxServer.CAPACITY + 5; i++) {
            send(HttpRequest.newBuilder(uri("/hooks/log")).POST(HttpRequest.BodyPublishers.ofString("n" + i)));
        }
        JsonNode listed = json.readTree(get("/api/requests").body());
        assertThat(listed).hasSize(SandboxServer.CAPACITY);
        assertThat(listed.get(0).get("body").asString("")).isEqualTo("n" + (SandboxServer.CAPACITY + 4));
        assertThat(listed.get(SandboxServer.CAPACITY - 1).get("body").asString("")).isEqualTo("n5");
    }

    private HttpResponse<String> putAnswer(String path, int status) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/answers?path=" + path + "&status=" + status))
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void ownPagesAreNotRecorded() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("Sandbox");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asString("")).isEqualTo("UP");

        assertThat(json.readTree(get("/api/requests").body())).isEmpty();
    }

    @Test
    void warmUpDeliveriesAreAnsweredAndCountedButNeverListed() throws Exception {
        send(HttpRequest.newBuilder(uri("/webhook")).POST(HttpRequest.BodyPublishers.ofString("{\"real\":1}")));
        for (String path : new String[] {"/warm-up", "/warm-up/1", "/warm-up"}) {
            HttpResponse<String> delivery = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"report.completed\"}")));
            assertThat(delivery.statusCode()).isEqualTo(200);
            assertThat(json.readTree(delivery.body())).isEqualTo(json.readTree("{\"ok\":true}"));
        }
        // a path that only starts like it is an ordinary one
        send(HttpRequest.newBuilder(uri("/warm-upper")).POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(json.readTree(get("/api/warm-up").body()).get("received").asLong()).isEqualTo(3);
        JsonNode listed = json.readTree(get("/api/requests").body());
        assertThat(listed).extracting(r -> r.get("path").asString("")).containsExactly("/warm-upper", "/webhook");
    }

    private URI uri(String path) {
        return URI.create(sandbox.url() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
