package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.replaycli.ConnectorsCli.Column;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code connectors preview}: where an event would go, and why (integration-service's routing preview). */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Where would this event be delivered in the workspace, and why? Nothing is sent.")
class PreviewCommand extends ServiceCommand.Workspace {
    @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "-",
            description = "JSON file with the event (as POST /v1/events takes it); - or none reads stdin.")
    String file;

    @Override
    public Integer call() {
        JsonNode event = EventsCommand.readJson(spec, file);
        JsonNode answer = client().post(workspacePath("routing:preview"), "application/json", event.toString());
        var out = out();
        if (json()) {
            out.println(answer.toPrettyString());
        } else {
            out.printf("%s (%s) would be delivered to %d destination(s):%n", ConnectorsCli.text(answer, "eventType"),
                    ConnectorsCli.text(answer, "level"), answer.path("destinations").size());
            print(answer, answer.path("destinations"), List.of(
                    Column.of("INTEGRATION", "integrationName"), Column.of("KIND", "kind"),
                    Column.of("CHANNEL", "channelName"), Column.of("DESTINATION", "destinationId"),
                    Column.of("WHY", "why")));
            if (!answer.path("notRouted").isEmpty()) {
                out.println();
                out.println("Not routed:");
                print(answer, answer.path("notRouted"), List.of(
                        Column.of("INTEGRATION", "integrationName"), Column.of("REASON", "reason"),
                        Column.of("DETAIL", "detail")));
            }
        }
        out.flush();
        return 0;
    }
}
