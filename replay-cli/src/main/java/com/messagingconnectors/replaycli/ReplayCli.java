package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code connectors dead-letters} (also {@code ./connectors-replay}): list and replay a sender's dead-lettered notifications through its admin API.
 * Replays are dry runs unless {@code --execute} is given; a real replay runs the dry run first, then sends the
 * selected records in chunks (with a progress bar) and prints the summary.
 */
@Command(name = "dead-letters", aliases = "connectors-replay", mixinStandardHelpOptions = true,
        version = "connectors 0.1.0",
        description = "List and replay dead-lettered notifications of a sender (slack-sender, teams-sender, "
                + "webhook-sender).",
        subcommands = {ReplayCli.ListCommand.class, ReplayCli.ReplayCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (nothing failed)", "1:some notifications could not be replayed",
                "2:bad arguments (nothing was replayed)", "3:the sender refused the admin key",
                "4:the sender cannot be reached or cannot read its dead letters"})
public class ReplayCli {
    static final int EXIT_FAILED_ITEMS = 1;
    static final int EXIT_BAD_ARGUMENTS = 2;
    static final int EXIT_DENIED = 3;
    static final int EXIT_UNAVAILABLE = 4;

    /** {@code connectors-replay ARGS} is {@code connectors dead-letters ARGS}. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The dead-letters command on its own, with the exit codes of {@link ConnectorsCli}. */
    static CommandLine commandLine() {
        return ConnectorsCli.withExitCodes(new CommandLine(new ReplayCli()));
    }

    /** Which dead letters; the same names as the admin API. */
    static class Filters {
        @Option(names = "--workspace", description = "Workspace id, e.g. ws_acme.")
        String workspace;
        @Option(names = "--destination", description = "Destination id (integrationId/channelId).")
        String destination;
        @Option(names = "--type", description = "Event type, e.g. report.completed.")
        String type;
        @Option(names = "--error", description = "Error class, full or simple name, e.g. Permanent.")
        String error;
        @Option(names = "--from", description = "Dead-lettered at or after, ISO-8601, e.g. 2026-03-01T00:00:00Z.")
        String from;
        @Option(names = "--to", description = "Dead-lettered before, ISO-8601.")
        String to;
        @Option(names = "--id", split = ",", description = "Notification id(s); repeatable or comma-separated.")
        List<String> ids = new ArrayList<>();
        @Option(names = "--limit", description = "At most this many dead letters (oldest first; default 1000).")
        Integer limit;

        Map<String, Object> asQuery() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("workspace", workspace);
            query.put("destination", destination);
            query.put("type", type);
            query.put("error", error);
            query.put("from", from);
            query.put("to", to);
            query.put("ids", ids.isEmpty() ? null : ids);
            query.put("limit", limit);
            return query;
        }

        ObjectNode asBody() {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            asQuery().forEach((name, value) -> {
                if (value instanceof List<?> list) {
                    list.forEach(item -> body.withArrayProperty(name).add(item.toString()));
                } else if (value instanceof Integer number) {
                    body.put(name, number);
                } else if (value != null) {
                    body.put(name, value.toString());
                }
            });
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first.")
    static class ListCommand extends ServiceCommand {
        @Mixin
        Filters filters = new Filters();
        @Option(names = "--json", description = "Same as --output json.")
        boolean json;

        ListCommand() {
            super(Connection.Service.SENDER);
        }

        @Override
        public Integer call() {
            JsonNode answer = client().list(filters.asQuery());
            PrintWriter out = out();
            if (json || json()) {
                out.println(answer.toPrettyString());
                return 0;
            }
            String format = "%-10s %-24s %-36s %-20s %-26s %-12s %s%n";
            out.printf(format, "RECORD", "DEAD-LETTERED-AT", "NOTIFICATION-ID", "TYPE", "DESTINATION", "ERROR", "HTTP");
            for (JsonNode letter : answer.path("deadLetters")) {
                out.printf(format, letter.path("id").asString(""), letter.path("deadLetteredAt").asString(""),
                        text(letter, "notificationId", "(undecodable)"), text(letter, "eventType", "-"),
                        text(letter, "destinationId", "-"), simpleName(text(letter, "errorClass", "-")),
                        text(letter, "httpStatus", "-"));
            }
            out.printf("%d dead letter(s) in %s%s%n", answer.path("count").asInt(0), answer.path("topic").asString(""),
                    answer.path("truncated").asBoolean(false) ? " (more match: narrow the filters or raise --limit)" : "");
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay dead letters to the channel topic with the same notification id. A dry run "
                    + "unless --execute is given.")
    static class ReplayCommand extends ServiceCommand {
        @Mixin
        Filters filters = new Filters();
        @Option(names = "--execute", description = "Really replay (default: dry run, nothing is sent).")
        boolean execute;
        @Option(names = "--rate", defaultValue = "50", description = "Records per second (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--chunk-size", defaultValue = "25",
                description = "Records per replay call; the progress bar moves per chunk (default ${DEFAULT-VALUE}).")
        int chunkSize;

        ReplayCommand() {
            super(Connection.Service.SENDER);
        }

        @Override
        public Integer call() {
            if (chunkSize < 1 || chunkSize > 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-size must be 1..1000");
            }
            PrintWriter out = out();
            AdminClient client = client();
            // The dry run validates every argument on the sender and says what would happen: nothing is sent yet.
            ObjectNode dryRunBody = filters.asBody().put("dryRun", true).put("ratePerSecond", rate);
            if (execute && isEmpty(dryRunBody)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a replay needs at least one filter "
                        + "(--workspace, --destination, --type, --error, --from, --to, --id); to replay every dead "
                        + "letter say so with --from 1970-01-01T00:00:00Z");
            }
            JsonNode plan = client.replay(dryRunBody);
            List<String> toReplay = new ArrayList<>();
            for (JsonNode item : plan.path("items")) {
                if (item.path("outcome").asString("").equals("WOULD_REPLAY")) {
                    toReplay.add(item.path("record").asString(""));
                }
            }
            out.printf("%s: %d dead letter(s) match in %s%s%n", execute ? "Plan" : "Dry run", plan.path("matched").asInt(0),
                    plan.path("sourceTopic").asString(""),
                    plan.path("truncated").asBoolean(false) ? " (more match than --limit; run again for the rest)" : "");
            if (!execute) {
                printSummary(out, "would replay", toReplay.size(), plan);
                out.println("Nothing was sent. Run again with --execute to replay.");
                out.flush();
                return plan.path("failed").asInt(0) > 0 ? EXIT_FAILED_ITEMS : 0;
            }
            out.flush();

            int replayed = 0;
            int delivered = plan.path("skippedAlreadyDelivered").asInt(0);
            int duplicates = plan.path("skippedDuplicate").asInt(0);
            int failed = plan.path("failed").asInt(0);
            List<String> failures = new ArrayList<>();
            collectFailures(plan, failures);
            ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), toReplay.size());
            for (int start = 0; start < toReplay.size(); start += chunkSize) {
                List<String> chunk = toReplay.subList(start, Math.min(start + chunkSize, toReplay.size()));
                ObjectNode body = AdminClient.JSON.createObjectNode().put("dryRun", false).put("ratePerSecond", rate)
                        .put("limit", chunk.size());
                chunk.forEach(record -> body.withArrayProperty("records").add(record));
                JsonNode result = client.replay(body);
                replayed += result.path("replayed").asInt(0);
                delivered += result.path("skippedAlreadyDelivered").asInt(0);
                duplicates += result.path("skippedDuplicate").asInt(0);
                failed += result.path("failed").asInt(0);
                collectFailures(result, failures);
                progress.advance(chunk.size());
            }
            progress.done();
            out.printf("Replayed %d to %s; skipped %d as already delivered, %d as duplicate; failed %d.%n", replayed,
                    plan.path("targetTopic").asString(""), delivered, duplicates, failed);
            failures.forEach(out::println);
            if (!plan.path("deliveredCheck").asBoolean(true)) {
                out.println("Note: this sender keeps no record of delivered notifications; none could be skipped.");
            }
            out.flush();
            return failed > 0 ? EXIT_FAILED_ITEMS : 0;
        }

        private static boolean isEmpty(ObjectNode body) {
            for (String filter : List.of("workspace", "destination", "type", "error", "from", "to", "ids")) {
                if (body.has(filter)) {
                    return false;
                }
            }
            return true;
        }

        private static void printSummary(PrintWriter out, String verb, int count, JsonNode plan) {
            out.printf("%s %d; skip %d as already delivered, %d as duplicate; %d cannot be replayed.%n",
                    Character.toUpperCase(verb.charAt(0)) + verb.substring(1), count,
                    plan.path("skippedAlreadyDelivered").asInt(0), plan.path("skippedDuplicate").asInt(0),
                    plan.path("failed").asInt(0));
            List<String> failures = new ArrayList<>();
            collectFailures(plan, failures);
            failures.forEach(out::println);
        }

        private static void collectFailures(JsonNode answer, List<String> failures) {
            for (JsonNode item : answer.path("items")) {
                if (item.path("outcome").asString("").equals("FAILED")) {
                    failures.add("  failed " + item.path("record").asString("") + " "
                            + text(item, "notificationId", "(undecodable)") + ": " + item.path("detail").asString(""));
                }
            }
        }
    }

    private static String text(JsonNode node, String field, String absent) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? absent : value.asString("");
    }

    private static String simpleName(String className) {
        int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(cut + 1);
    }
}
