package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chat senders crash while they deliver, on the run's shared {@link ChatStack}: one workspace routes every
 * sync.failed to Slack (three channels), a Teams Workflows flow and Google Chat (ten spaces); 60 events are posted at
 * once, so the providers' pacing (Slack about one message a second per channel) keeps the senders busy, and
 * slack-sender, teams-sender and googlechat-sender are SIGKILLed together twice, each time once deliveries have
 * progressed since the last restart. Every event must still arrive in every tool (at least once: the duplicates a
 * kill between a post and its commit may cause are counted and printed, not hidden).
 */
class ChatSenderCrashIT extends OnChatStack {
    private static final int EVENTS = 60;
    private static final int SLACK_CHANNELS = 3;
    private static final int SPACES = 10;
    private static final int KILLS = 2;
    private static final List<String> SENDERS = List.of("slack-sender", "teams-sender", "googlechat-sender");
    private static final Duration SETTLED = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void everyEventArrivesInEveryToolThoughItsSendersAreKilledTwiceWhileDelivering() throws Exception {
        String ws = "ws_sendercrash_" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/v1/workspaces/" + ws + "/integrations";
        String tag = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String flow = connectAll(base, ws);
        postEvents(ws, tag);

        for (int kill = 1; kill <= KILLS; kill++) {
            int before = delivered(tag, flow).total();
            await("deliveries progressed since the last restart").atMost(SETTLED).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        Counts now = delivered(tag, flow);
                        return now.total() > before || now.complete();
                    });
            for (String sender : SENDERS) {
                stack.killAndRestart(sender, "killed-" + kill);
            }
        }
        SENDERS.forEach(sender -> stack.service(sender).awaitReady(ChatStack.STARTUP));

        Counts counts = await("every event in Slack, Teams and Google Chat").atMost(SETTLED)
                .pollInterval(Duration.ofSeconds(1)).until(() -> delivered(tag, flow), Counts::complete);
        System.out.printf("chat senders SIGKILLed %d times while delivering %d events: duplicates Slack %d, Teams %d,"
                + " Google Chat %d%n", KILLS, EVENTS, counts.slack().duplicates(), counts.teams().duplicates(),
                counts.googleChat().duplicates());
    }

    /** Slack (3 channels), Teams Workflows and Google Chat (10 spaces) in one workspace; returns the flow's path. */
    private static String connectAll(String base, String ws) throws Exception {
        double routerWorkspaces = admin.routerWorkspaceCount();
        String slack = admin.connectSlack(base);
        JsonNode channels = admin.api("GET", base + "/" + slack + "/slack/channels", null, 200).get("channels");
        List<String> slackChannels = List.of(AdminSession.idNamed(channels, "#general"),
                AdminSession.idNamed(channels, "#analytics-team"), AdminSession.idNamed(channels, "#on-call"));
        ObjectNode slackConfig = integration("Slack", null);
        ArrayNode slackRules = slackConfig.putArray("rules");
        for (int i = 0; i < SLACK_CHANNELS; i++) {
            slackConfig.withArrayProperty("channels").addObject().put("id", slackChannels.get(i)).put("name", "c" + i);
            rule(slackRules, "slack", i, slackChannels.get(i));
        }
        slackConfig.put("defaultChannelId", slackChannels.getFirst());
        admin.api("PUT", base + "/" + slack, slackConfig.toString(), 200);

        // no sign-in, no channel: the Workflows flow in Teams decides where the card goes
        String teams = admin.api("POST", base, integration("Teams", "teams").toString(), 201).get("id").asString("");
        String flow = "/microsoft/workflows/" + ws;
        admin.api("PUT", base + "/" + teams + "/teams/workflow-url",
                "{\"url\": \"" + stack.sandbox.url() + flow + "?sig=e2e\"}", 204);

        ObjectNode chat = integration("Google Chat", "googlechat");
        ArrayNode chatRules = chat.putArray("rules");
        for (int i = 0; i < SPACES; i++) {
            String space = "CRASH" + ws.substring(ws.length() - 8).toUpperCase() + "S" + i;
            chat.withArrayProperty("channels").addObject().put("id", "s" + i).put("url", stack.sandbox.url()
                    + "/googlechat/v1/spaces/" + space + "/messages?key=e2e-key&token=e2e-token-" + i);
            rule(chatRules, "space", i, "s" + i);
        }
        chat.put("defaultChannelId", "s0");
        admin.api("POST", base, chat.toString(), 201);
        admin.awaitRouterSawTheChange(routerWorkspaces);
        return flow;
    }

    /** {@code kind} null: a change of an existing integration (its kind stays). */
    private static ObjectNode integration(String name, String kind) {
        ObjectNode integration = JSON.createObjectNode().put("name", name);
        if (kind != null) {
            integration.put("kind", kind);
        }
        integration.putObject("notificationTypes").put("sync.failed", true);
        return integration;
    }

    /** "attributes.{@code attribute} == i" → {@code channelId}. */
    private static void rule(ArrayNode rules, String attribute, int i, String channelId) {
        ObjectNode rule = rules.addObject().put("id", attribute + i).put("channelId", channelId);
        ObjectNode match = rule.putObject("match");
        match.putArray("types").add("sync.failed");
        match.putArray("attributes").addObject().put("key", attribute).put("equals", String.valueOf(i));
    }

    /** One batch of {@link #EVENTS} sync.failed events, summaries "{@code tag} ni end", over channels and spaces. */
    private static void postEvents(String ws, String tag) throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            // no markdown in the summary: Teams escapes # and its kin
            events.add(ChatStack.syncFailed(ws, "src-" + i, tag + " n" + i + " end", Map.of(
                    "slack", String.valueOf(i % SLACK_CHANNELS), "space", String.valueOf(i % SPACES))));
        }
        stack.postBatch(events);
    }

    private static Counts delivered(String tag, String flow) throws Exception {
        Pattern event = Pattern.compile(Pattern.quote(tag) + " n(\\d+) end");
        Tally slack = new Tally();
        for (JsonNode message : stack.slackMessages()) {
            slack.add(event, message.path("text").asString(""));
        }
        Tally teams = new Tally();
        for (JsonNode card : stack.teamsCards()) {
            if (card.path("path").asString("").equals(flow)) {
                teams.add(event, card.path("card").toString());
            }
        }
        Tally chat = new Tally();
        for (JsonNode message : stack.googleChatMessages()) {
            chat.add(event, message.at("/message/text").asString(""));
        }
        return new Counts(slack, teams, chat);
    }

    /** How often each event (by its number) arrived in one tool. */
    private static final class Tally {
        private final Map<Integer, Integer> times = new HashMap<>();

        void add(Pattern event, String text) {
            Matcher found = event.matcher(text);
            if (found.find()) {
                times.merge(Integer.parseInt(found.group(1)), 1, Integer::sum);
            }
        }

        boolean complete() {
            return times.size() == EVENTS;
        }

        int total() {
            return times.values().stream().mapToInt(Integer::intValue).sum();
        }

        int duplicates() {
            return total() - times.size();
        }

        @Override
        public String toString() {
            List<Integer> missing = java.util.stream.IntStream.range(0, EVENTS).filter(i -> !times.containsKey(i))
                    .boxed().toList();
            return times.size() + " of " + EVENTS + " events, " + duplicates() + " duplicates, missing " + missing;
        }
    }

    private record Counts(Tally slack, Tally teams, Tally googleChat) {
        boolean complete() {
            return slack.complete() && teams.complete() && googleChat.complete();
        }

        int total() {
            return slack.total() + teams.total() + googleChat.total();
        }
    }
}
