package com.messagingconnectors.webhook.signing;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our signatures against implementations nobody here wrote: the Standard Webhooks published test vector, and the
 * npm package {@code standardwebhooks} (src/test/node, installed by the build with {@code npm ci}) verifying what
 * we sign. Needs {@code node} on the PATH: without it this test fails, it is never skipped.
 */
class WebhookSignerTest {
    private static final Path NODE_DIR = Path.of(System.getProperty("interop.node.dir", "src/test/node"));
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String BODY = "{\"type\":\"report.completed\",\"timestamp\":\"2026-03-01T12:00:00.000Z\","
            + "\"data\":{\"eventId\":\"3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f\",\"summary\":\"Weekly revenue – ready ✓\"}}";

    @TempDir
    Path temp;

    @Test
    void reproducesThePublishedStandardWebhooksTestVector() {
        String signature = WebhookSigner.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}",
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signsOncePerSecretInOrderSoRotationSendsBoth() {
        String signature = WebhookSigner.sign("msg_1", 1614265330L, "{}",
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSigner.newSecret()));

        String[] parts = signature.split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo(WebhookSigner.sign("msg_1", 1614265330L, "{}",
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
        assertThat(parts[1]).startsWith("v1,").isNotEqualTo(parts[0]);
    }

    @Test
    void theStandardWebhooksNpmPackageVerifiesOurSignatures() throws Exception {
        String current = WebhookSigner.newSecret();
        String next = WebhookSigner.newSecret();
        String unrelated = WebhookSigner.newSecret();
        long now = Instant.now().getEpochSecond();
        String id = "6a1f0c2e-9b7d-5e3a-8c4f-2d1e0b9a8c7d";
        String single = WebhookSigner.sign(id, now, BODY, List.of(current));
        String rotating = WebhookSigner.sign(id, now, BODY, List.of(current, next));

        List<JsonNode> results = verifyWithNode(List.of(
                testCase(current, id, now, single, BODY),           // 0 plain
                testCase(current, id, now, rotating, BODY),         // 1 rotation: old secret
                testCase(next, id, now, rotating, BODY),            // 2 rotation: new secret
                testCase(unrelated, id, now, rotating, BODY),       // 3 a secret we did not sign with
                testCase(current, id, now, single, BODY.replace("ready", "READY")), // 4 tampered body
                testCase(current, "another-id", now, single, BODY), // 5 id swapped
                testCase(current, id, now + 1, single, BODY)));     // 6 timestamp changed

        assertThat(results.get(0).get("verified").asBoolean(false)).as("signed with the secret").isTrue();
        assertThat(results.get(1).get("verified").asBoolean(false)).as("rotation, old secret").isTrue();
        assertThat(results.get(2).get("verified").asBoolean(false)).as("rotation, new secret").isTrue();
        for (int i = 3; i <= 6; i++) {
            assertThat(results.get(i).get("verified").asBoolean(false)).as("case %d must be rejected", i).isFalse();
            assertThat(results.get(i).get("error").asString("")).isEqualTo("No matching signature found");
        }
    }

    @Test
    void refusesMalformedSecretsWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookSigner.sign("id", 1L, "{}", List.of("whsec_not base64!!")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signing secret #1 is not of the form whsec_<base64>");
        assertThatThrownBy(() -> WebhookSigner.sign("id", 1L, "{}", List.of()))
                .hasMessage("at least one signing secret is required");
        assertThatThrownBy(() -> WebhookSigner.sign("id", 1L, "{}", List.of(WebhookSigner.newSecret(), "whsec_")))
                .hasMessage("signing secret #2 is empty");
        assertThat(WebhookSigner.isValidSecret(WebhookSigner.newSecret())).isTrue();
        assertThat(WebhookSigner.isValidSecret("whsec_%%%")).isFalse();
    }

    private static JsonNode testCase(String secret, String id, long timestamp, String signature, String body) {
        return JSON.createObjectNode().put("secret", secret).put("id", id).put("timestamp", timestamp)
                .put("signature", signature).put("body", body);
    }

    /** Runs src/test/node/verify.js on the cases; one result per case. Fails (never skips) without node. */
    private List<JsonNode> verifyWithNode(List<JsonNode> cases) throws IOException, InterruptedException {
        ArrayNode array = JSON.createArrayNode().addAll(cases);
        Path input = temp.resolve("cases.json");
        Files.writeString(input, JSON.writeValueAsString(array), StandardCharsets.UTF_8);
        Path stderr = temp.resolve("node-stderr.txt");
        Process process;
        try {
            process = new ProcessBuilder("node", "verify.js", input.toString()).directory(NODE_DIR.toFile())
                    .redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("`node` (Node.js 20+) is required for the signature interop test", e);
        }
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue()).as("node verify.js failed (run `npm ci` in %s?):%n%s", NODE_DIR,
                Files.readString(stderr)).isZero();
        List<JsonNode> results = new ArrayList<>();
        for (String line : stdout.strip().split("\n")) {
            results.add(JSON.readTree(line));
        }
        assertThat(results).hasSameSizeAs(cases);
        return results;
    }
}
