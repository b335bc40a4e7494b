package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator CLI as operators run it ({@code java -jar}, as ./connectors does) against real integration-service and
 * ingest-service processes: what it prints, what it changes, and its exit codes.
 */
class ConnectorsCliIT extends OnChatStack {
    private static final String ADMIN_API_KEY = ChatStack.ADMIN_API_KEY;
    private static final String WORKSPACE = "ws_cli_" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The on-call endpoint: the sandbox's webhook receiver, so the events sent here are delivered, not retried. */
    private static String hook;
    private static String integrationId;

    @TempDir
    static Path dir;

    @BeforeAll
    static void connectAnEndpoint() throws Exception {
        hook = sandbox.url() + "/hooks/cli-e2e";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        stack.integrations.url("/v1/workspaces/" + WORKSPACE + "/integrations"))
                .header("content-type", "application/json").header("authorization", "Bearer " + ADMIN_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"kind": "webhook", "name": "On-call hook",
                         "notificationTypes": {"alert.triggered": true},
                         "channels": [{"id": "oncall", "url": "%s"}], "defaultChannelId": "oncall"}
                        """.formatted(hook))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        integrationId = JSON.readTree(created.body()).path("id").asString("");
    }

    @Test
    void integrationsAreListedShownDisabledAndEnabled() throws Exception {
        Run list = cli(null, "integrations", "list", "-w", WORKSPACE, "--url", integrations());
        assertThat(list.exit).as(list.err).isZero();
        assertThat(list.out.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .startsWith("ID").contains("KIND").contains("NAME").contains("ENABLED").contains("STATUS"));
        assertThat(list.out).contains(integrationId).contains("webhook").contains("On-call hook");

        Run disabled = cli(null, "integrations", "disable", integrationId, "-w", WORKSPACE, "--url", integrations(),
                "--output", "json");
        assertThat(disabled.exit).as(disabled.err).isZero();
        assertThat(JSON.readTree(disabled.out).path("enabled").asBoolean(false)).isFalse();

        Run shown = cli(null, "integrations", "show", integrationId, "-w", WORKSPACE, "--url", integrations());
        assertThat(shown.out).contains("false").contains("Notification types: alert.triggered")
                .contains("Default channel: oncall").contains(hook);

        assertThat(cli(null, "integrations", "enable", integrationId, "-w", WORKSPACE, "--url", integrations(),
                "-o", "json").out).contains("\"enabled\" : true");

        Run missing = cli(null, "integrations", "show", "int_nope", "-w", WORKSPACE, "--url", integrations());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).startsWith("connectors: ");
    }

    @Test
    void aKeyCreatedWithTheCliSendsEventsUntilItIsRevoked() throws Exception {
        Run created = cli(null, "keys", "create", "-w", WORKSPACE, "--name", "cli-test", "--scope", "events:write",
                "--url", integrations());
        assertThat(created.exit).as(created.err).isZero();
        String key = created.out.lines().filter(line -> line.startsWith("Key (shown once"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElseThrow();
        String keyId = created.out.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(cli(null, "keys", "list", "-w", WORKSPACE, "--url", integrations()).out)
                .contains(keyId).contains("cli-test").contains("events:write").doesNotContain(key);

        Path events = dir.resolve("events.json");
        Files.writeString(events, """
                [{"type": "alert.triggered", "workspaceId": "%1$s", "summary": "CPU above 90%%",
                  "payload": {"alertId": "a-1", "alertName": "CPU", "metric": "cpu", "comparator": ">",
                              "threshold": 90, "value": 97}},
                 {"type": "backup.finished", "workspaceId": "%1$s", "summary": "Nightly backup done", "payload": {}}]
                """.formatted(WORKSPACE));
        // the new key reaches ingest through connectors.config: accepted once ingest follows it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Run sent = cli(null, "events", "send", events.toString(), "--url", ingest(), "--key", key);
            assertThat(sent.exit).as(sent.err).isZero();
            assertThat(sent.out).contains("alert.triggered").contains("backup.finished").contains("2 event(s) accepted");
        });

        // stdin, one event, json output
        Run fromStdin = cli("""
                {"type": "backup.finished", "workspaceId": "%s", "summary": "From stdin", "payload": {}}"""
                .formatted(WORKSPACE), "events", "send", "--url", ingest(), "--key", key, "-o", "json");
        assertThat(fromStdin.exit).as(fromStdin.err).isZero();
        assertThat(JSON.readTree(fromStdin.out).path("eventIds")).hasSize(1);

        Run invalid = cli("{\"type\": \"Bad Type\", \"workspaceId\": \"" + WORKSPACE + "\", \"payload\": {}}",
                "events", "send", "--url", ingest(), "--key", key);
        assertThat(invalid.exit).isEqualTo(2);
        assertThat(invalid.err).contains("events[0].type").contains("events[0].summary");

        Run revoked = cli(null, "keys", "revoke", keyId, "-w", WORKSPACE, "--url", integrations());
        assertThat(revoked.out).contains("Revoked " + keyId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Run refused = cli(null, "events", "send", events.toString(), "--url", ingest(), "--key", key);
            assertThat(refused.exit).isEqualTo(3);
        });
    }

    @Test
    void previewSaysWhereAnEventWouldGo() throws Exception {
        Path event = dir.resolve("alert.json");
        Files.writeString(event, """
                {"type": "alert.triggered", "summary": "Error rate above 5%",
                 "payload": {"alertId": "a-2", "alertName": "Errors", "metric": "errors", "comparator": ">",
                             "threshold": 5, "value": 7}}""");
        Run preview = cli(null, "preview", "-w", WORKSPACE, event.toString(), "--url", integrations());
        assertThat(preview.exit).as(preview.err).isZero();
        assertThat(preview.out).contains("alert.triggered (alert) would be delivered to 1 destination(s)")
                .contains("On-call hook").contains(integrationId + "/oncall");
    }

    @Test
    void wrongKeyAndUnreachableServiceHaveTheirOwnExitCodes() {
        Run wrongKey = cli(null, "keys", "list", "-w", WORKSPACE, "--url", integrations(), "--key", "nope");
        assertThat(wrongKey.exit).isEqualTo(3);
        Run down = cli(null, "integrations", "list", "-w", WORKSPACE, "--url", "http://127.0.0.1:9");
        assertThat(down.exit).isEqualTo(4);
        assertThat(down.err).contains("cannot reach http://127.0.0.1:9/").contains("--url");
        Run noWorkspace = cli(null, "integrations", "list", "--url", integrations());
        assertThat(noWorkspace.exit).isEqualTo(2);
        assertThat(noWorkspace.err).contains("Missing required option: '--workspace");
    }

    @Test
    void shellCompletionIsGenerated() {
        Run completion = cli(null, "generate-completion");
        assertThat(completion.exit).isZero();
        assertThat(completion.out).contains("complete -F _complete_connectors").contains("dead-letters")
                .contains("integrations").contains("preview");
    }

    /** The --url of integration-service on the shared stack. */
    private static String integrations() {
        return stack.integrations.url("").toString();
    }

    /** The --url of ingest-service on the shared stack. */
    private static String ingest() {
        return stack.ingest.url("").toString();
    }

    record Run(int exit, String out, String err) {
    }

    /** {@code java -jar replay-cli.jar ARGS} with the admin key in the environment, like ./connectors. */
    private static Run cli(String stdin, String... args) {
        String jar = System.getProperty("e2e.jar.replay-cli");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-jar", jar));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("CONNECTORS_"));
            builder.environment().put("CONNECTORS_API_KEY", ADMIN_API_KEY);
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("connectors " + String.join(" ", args) + " did not finish");
            }
            Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
            System.out.printf("$ connectors %s%n%s%s(exit %d)%n", String.join(" ", args), run.out, run.err, run.exit);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
