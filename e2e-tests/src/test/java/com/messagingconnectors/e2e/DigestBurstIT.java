package com.messagingconnectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.NotificationIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A flapping sync on a grouped route, end to end on the run's shared {@link ChatStack}: a Slack integration's rule
 * groups sync.failed by type and source with a compressed interval (10 s for 5 min), ingest takes a burst of 1,000
 * failures of one source in 10 s, and #general gets a handful of messages — the first failure at once, then
 * digests — whose counts add up to 1,000, while the digests the Slack sender reads cover every event id exactly once.
 * Then the same burst with digest-service SIGKILLed in the middle of a window and started again: every id is still
 * covered exactly once (Kafka Streams exactly-once v2, the open groups restored from their changelog).
 */
class DigestBurstIT extends OnChatStack {
    private static final int EVENTS = 1_000;
    private static final int BATCH = 100;
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration SETTLED = Duration.ofMinutes(3);
    /** A digest's header: "Sync failed × 37". */
    private static final Pattern COUNT = Pattern.compile(" × (\\d+)$");

    @Test
    void aThousandFailuresOfOneSourceInTenSecondsAreAtMostThreeSlackMessagesCoveringEveryIdOnce() throws Exception {
        Route route = groupedSlackRoute("ws_burst_");
        List<String> ids = burst(route, () -> { });

        Map<String, Integer> counts = awaitSlackCounts(route, EVENTS);
        assertThat(counts).as("messages in the channel, each with the events it stands for")
                .hasSizeLessThanOrEqualTo(3);
        assertThat(coveredIds(route)).as("event ids the notifications for the Slack sender cover")
                .hasSize(EVENTS).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void theDigestStageSigkilledMidWindowAndRestartedStillCoversEveryIdExactlyOnce() throws Exception {
        Route route = groupedSlackRoute("ws_burstkill_");
        List<String> ids = burst(route, () -> stack.killAndRestart("digest-service", "after-kill"));
        stack.service("digest-service").awaitReady(ChatStack.STARTUP);

        awaitSlackCounts(route, EVENTS);
        assertThat(coveredIds(route)).as("event ids the notifications for the Slack sender cover")
                .hasSize(EVENTS).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** A new workspace with Slack connected and a rule grouping sync.failed by type and source into #general. */
    private static Route groupedSlackRoute(String prefix) throws Exception {
        String ws = prefix + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        double routerWorkspaces = admin.routerWorkspaceCount();
        String id = admin.connectSlack(base);
        String channel = AdminSession.idNamed(
                admin.api("GET", base + "/" + id + "/slack/channels", null, 200).get("channels"), "#general");
        admin.api("PUT", base + "/" + id, """
                {"name": "Slack", "notificationTypes": {"sync.failed": true},
                 "channels": [{"id": "%1$s", "name": "#general"}], "defaultChannelId": "%1$s",
                 "rules": [{"id": "syncs", "name": "Sync failures, grouped", "match": {"types": ["sync.failed"]},
                            "channelId": "%1$s",
                            "grouping": {"by": ["type", "attributes.sourceId"], "wait": "0s", "interval": "%2$ds"}}]}
                """.formatted(channel, INTERVAL.toSeconds()), 200);
        admin.awaitRouterSawTheChange(routerWorkspaces);
        return new Route(ws, id, "pg-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * POSTs {@link #EVENTS} sync.failed events of one source to ingest in batches of {@link #BATCH}, one batch a
     * second (the load's pace, not a wait for a condition); {@code midway} runs after half of them. Returns the ids
     * ingest accepted (every batch must be accepted).
     */
    private static List<String> burst(Route route, Midway midway) throws Exception {
        List<String> ids = new ArrayList<>();
        int batches = EVENTS / BATCH;
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try {
            List<ScheduledFuture<List<String>>> posted = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                int batch = b;
                posted.add(pacer.schedule(() -> postBatch(route, batch), b, TimeUnit.SECONDS));
            }
            for (int b = 0; b < batches; b++) {
                ids.addAll(posted.get(b).get(1, TimeUnit.MINUTES));
                if (b == batches / 2 - 1) {
                    midway.run();
                }
            }
        } finally {
            pacer.shutdownNow();
        }
        return ids;
    }

    private static List<String> postBatch(Route route, int batch) throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            String summary = "Postgres (prod) sync failed, attempt " + (batch * BATCH + i + 1);
            events.add(ChatStack.syncFailed(route.workspace(), route.source(), summary,
                    Map.of("sourceId", route.source())));
        }
        stack.postBatch(events);
        return events.stream().map(event -> event.get("id").asString("")).toList();
    }

    /**
     * Waits until the Slack messages of the route's workspace stand for exactly {@code events} events together (a
     * digest's header says how many, a plain message is one) and stay so for a whole interval, so a late extra
     * message would be seen; returns message ts → count.
     */
    private static Map<String, Integer> awaitSlackCounts(Route route, int events) {
        return await("Slack messages standing for exactly " + events + " events, for " + INTERVAL)
                .atMost(SETTLED).during(INTERVAL).pollInterval(Duration.ofSeconds(1))
                .until(() -> slackCounts(route),
                        counts -> counts.values().stream().mapToInt(Integer::intValue).sum() == events);
    }

    private static Map<String, Integer> slackCounts(Route route) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode m : stack.slackMessages()) {
            if (!m.toString().contains(route.workspace())) {
                continue;
            }
            Matcher digest = COUNT.matcher(m.at("/blocks/0/text/text").asString(""));
            counts.merge(m.get("ts").asString(""), digest.find() ? Integer.parseInt(digest.group(1)) : 1, Integer::sum);
        }
        return counts;
    }

    /** Every event id the integration's notifications for the Slack sender stand for, as often as they do. */
    private static List<String> coveredIds(Route route) {
        return stack.committedNotifications("slack").stream()
                .filter(n -> route.integrationId().equals(n.getDestination().getIntegrationId()))
                .flatMap(n -> NotificationIds.eventIdsCovered(n).stream()).toList();
    }

    private record Route(String workspace, String integrationId, String source) {
    }

    @FunctionalInterface
    private interface Midway {
        void run() throws Exception;
    }
}
