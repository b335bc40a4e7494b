package com.messagingconnectors.replaycli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.replaycli.ConnectorsCli.Column;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code connectors events send}: events to ingest-service's batch API. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Send events (ingest-service).",
        subcommands = EventsCommand.Send.class)
class EventsCommand {

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send the events of a JSON file (or stdin: - or no file) with the batch API: one event "
                    + "object, an array of them, or {\"events\": [...]}. All or nothing: an invalid event refuses the "
                    + "whole batch.")
    static class Send extends ServiceCommand {
        @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "-",
                description = "JSON file with the event(s); - or none reads stdin.")
        String file;

        Send() {
            super(Connection.Service.INGEST);
        }

        @Override
        public Integer call() {
            JsonNode input = readJson(spec, file);
            ArrayNode events;
            if (input.isArray()) {
                events = (ArrayNode) input;
            } else if (input.isObject() && input.has("events") && input.get("events").isArray()) {
                events = (ArrayNode) input.get("events");
            } else {
                events = AdminClient.JSON.createArrayNode().add(input);
            }
            ObjectNode batch = AdminClient.JSON.createObjectNode();
            batch.set("events", events);
            JsonNode answer = client().post("v1/events:batch", "application/json", batch.toString());
            ArrayNode rows = AdminClient.JSON.createArrayNode();
            for (int i = 0; i < events.size(); i++) {
                rows.addObject().put("eventId", answer.path("eventIds").path(i).asString(""))
                        .put("type", ConnectorsCli.text(events.get(i), "type"))
                        .put("workspaceId", ConnectorsCli.text(events.get(i), "workspaceId"));
            }
            print(answer, rows, List.of(
                    Column.of("EVENT-ID", "eventId"), Column.of("TYPE", "type"), Column.of("WORKSPACE", "workspaceId")));
            if (!json()) {
                out().printf("%d event(s) accepted%n", events.size());
                out().flush();
            }
            return 0;
        }
    }

    /** The JSON of a file, or of stdin for "-"; a file that is not JSON is a bad argument. */
    static JsonNode readJson(CommandLine.Model.CommandSpec spec, String file) {
        try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
            return AdminClient.JSON.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), ("-".equals(file) ? "stdin" : file)
                    + " is not readable JSON: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("")));
        }
    }
}
