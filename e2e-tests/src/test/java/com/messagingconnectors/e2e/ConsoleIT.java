package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.sandbox.RecordedRequest;
import com.messagingconnectors.testsupport.BrowserSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser against the real system (the run's shared {@link ChatStack}): integration-service,
 * ingest-service, router-service and webhook-sender run as processes on the test broker; the sandbox (in this JVM) is
 * the customer's endpoint and can be told to fail. A workspace admin adds a webhook endpoint in the console, an event
 * posted to ingest arrives at the endpoint and the integration's page shows the delivery; the routing preview offers
 * that event to pick. Then the endpoint breaks, the next event is dead-lettered by webhook-sender, and the operator
 * finds it on the console's dead-letter page, previews the replay (nothing is sent), and — once the endpoint works
 * again — replays it from the console, watching its progress, and it arrives. Screenshots go to
 * target/console-screenshots/.
 */
class ConsoleIT extends OnChatStack {
    private static final Duration DELIVERY = ChatStack.DELIVERY;
    private static final String ADMIN_API_KEY = ChatStack.ADMIN_API_KEY;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String ENDPOINT = "/hooks/console-e2e";

    @Test
    void anEventIsDeliveredThenADeadLetterIsReplayedFromTheConsole() throws Exception {
        String ws = "ws_console_" + UUID.randomUUID().toString().substring(0, 8);
        String workspaceKey = admin.api("POST", "/v1/workspaces/" + ws + "/api-keys", """
                {"name": "console admin", "scopes": ["integrations:read", "integrations:write", "keys:manage",
                 "events:write"]}""", 201).get("key").asText();
        String consoleBase = stack.integrations.url("").toString();
        double routerWorkspaces = admin.routerWorkspaceCount();

        try (BrowserSession workspaceAdmin = BrowserSession.start(consoleBase, SCREENSHOTS, "e2e-admin");
             BrowserSession operator = BrowserSession.start(consoleBase, SCREENSHOTS, "e2e-operator")) {
            // Catalog → Webhook → Add endpoint (sync.failed is among the types switched on by default)
            assertThat(workspaceAdmin.signInToConsole(workspaceKey)).isEqualTo(ws);
            workspaceAdmin.open("/console/catalog");
            workspaceAdmin.clickAndAwaitPage(By.cssSelector("a[aria-label='Add endpoint Webhook']"));
            workspaceAdmin.fill("name", "Ops hooks");
            workspaceAdmin.fill("url", sandbox.url() + ENDPOINT);
            assertThat(workspaceAdmin.find(By.id("type-sync.failed")).isSelected()).isTrue();
            workspaceAdmin.clickAndAwaitPage(By.cssSelector("form.stack button[type=submit]"));
            assertThat(workspaceAdmin.find(By.id("secret")).getAttribute("value")).startsWith("whsec_");
            workspaceAdmin.clickAndAwaitPage(By.linkText("Done — go to the integration"));
            String integrationPage = workspaceAdmin.driver().getCurrentUrl();
            assertThat(workspaceAdmin.text(By.tagName("main"))).contains("none yet");
            admin.awaitRouterSawTheChange(routerWorkspaces);

            // an event posted to ingest arrives at the endpoint, and the integration's page shows the delivery
            String first = "Salesforce sync failed " + UUID.randomUUID().toString().substring(0, 6);
            admin.ingestEvent(workspaceKey, ws, "sync.failed", first, """
                    {"sourceId": "src-1", "sourceName": "Salesforce", "errorMessage": "401 Unauthorized"}""");
            await("the event arrives at the endpoint").atMost(DELIVERY).until(() -> received(first).size() == 1);
            await("the console shows the last delivery").atMost(DELIVERY).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        workspaceAdmin.driver().get(integrationPage);
                        return !workspaceAdmin.text(By.tagName("main")).contains("none yet");
                    });
            assertThat(workspaceAdmin.text(By.cssSelector(".status .badge"))).isEqualTo("connected");
            workspaceAdmin.assertUsable("integration-delivered");

            // Routing → live preview: the event just sent is offered as a recent one
            workspaceAdmin.clickAndAwaitPage(By.linkText("Routing"));
            await("the routing page offers the recent event").atMost(DELIVERY).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        workspaceAdmin.driver().navigate().refresh();
                        return workspaceAdmin.text(By.id("example")).contains(first);
                    });
            Select picker = new Select(workspaceAdmin.find(By.id("example")));
            picker.getOptions().stream().filter(o -> o.getText().contains(first)).findFirst().orElseThrow().click();
            assertThat(workspaceAdmin.find(By.id("previewSummary")).getAttribute("value")).isEqualTo(first);
            workspaceAdmin.awaitText(By.cssSelector("#preview .route"), "Ops hooks");
            workspaceAdmin.assertUsable("routing-recent-event");

            // the endpoint breaks: it answers 400, a permanent failure, so the next event is dead-lettered at once
            sandbox.answer(ENDPOINT, 400);
            String second = "Hubspot sync failed " + UUID.randomUUID().toString().substring(0, 6);
            admin.ingestEvent(workspaceKey, ws, "sync.failed", second, """
                    {"sourceId": "src-2", "sourceName": "Hubspot", "errorMessage": "timeout"}""");
            await("the failed attempt reaches the endpoint").atMost(DELIVERY).until(() -> received(second).size() == 1);

            // the operator: Dead letters → webhook, filtered to the workspace
            assertThat(operator.signInToConsole(ADMIN_API_KEY)).isEqualTo("Operator");
            await("the dead letter is listed").atMost(DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
                operator.open("/console/operator/dead-letters?sender=webhook&workspace=" + ws);
                return operator.findAll(By.cssSelector("table.list tbody tr")).size() == 1;
            });
            String row = operator.text(By.cssSelector("table.list tbody tr"));
            assertThat(row).contains("sync.failed").contains(ws).contains("400");
            operator.assertUsable("dead-letters");

            // dry run: says what a replay would do, sends nothing
            operator.click(By.xpath("//button[text()='Preview replay (dry run)']"));
            operator.awaitText(By.id("replay"), "Nothing was sent");
            assertThat(operator.text(By.id("replay"))).contains("would replay 1");
            assertThat(received(second)).hasSize(1);
            operator.screenshot("dry-run");

            // the customer fixes the endpoint; the replay runs with progress and the event arrives
            sandbox.answerOk(ENDPOINT);
            operator.click(By.xpath("//button[text()='Replay 1']"));
            operator.awaitText(By.cssSelector("#replay label"), "Replay finished");
            assertThat(operator.text(By.cssSelector("#replay [role=status]"))).contains("1 of 1: replayed 1");
            assertThat(operator.find(By.id("replay-progress")).getAttribute("value")).isEqualTo("1");
            operator.assertUsable("replay-finished");
            await("the replayed event arrives").atMost(DELIVERY).until(() -> received(second).size() == 2);
            RecordedRequest replayed = received(second).getFirst();
            assertThat(replayed.header("webhook-id")).isEqualTo(received(second).get(1).header("webhook-id"));
        }
    }

    /** What the endpoint received whose body mentions {@code text}, newest first (failed attempts included). */
    private static List<RecordedRequest> received(String text) {
        return sandbox.requests().stream().filter(r -> r.path().equals(ENDPOINT) && r.body().contains(text)).toList();
    }
}
