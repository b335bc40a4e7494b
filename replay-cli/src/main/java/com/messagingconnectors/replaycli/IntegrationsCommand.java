package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.replaycli.ConnectorsCli.Column;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code connectors integrations list|show|enable|disable}: a workspace's integrations in integration-service. */
@Command(name = "integrations", mixinStandardHelpOptions = true,
        description = "List, show, enable and disable a workspace's integrations (integration-service).",
        subcommands = {IntegrationsCommand.List.class, IntegrationsCommand.Show.class, IntegrationsCommand.Enable.class,
                IntegrationsCommand.Disable.class})
class IntegrationsCommand {
    static final java.util.List<Column> COLUMNS = java.util.List.of(Column.of("ID", "id"), Column.of("KIND", "kind"),
            Column.of("NAME", "name"), new Column("ENABLED", row -> row.path("enabled").asString("")),
            new Column("CHANNELS", row -> Integer.toString(row.path("channels").size())),
            new Column("STATUS", row -> ConnectorsCli.text(row.path("status"), "state")));

    abstract static class WorkspaceCommand extends ServiceCommand.Workspace {
        String base() {
            return workspacePath("integrations");
        }
    }

    /** A command on one integration: its id and path. */
    abstract static class IntegrationCommand extends WorkspaceCommand {
        @Parameters(paramLabel = "ID", description = "Integration id.")
        String id;

        String integrationPath() {
            return base() + "/" + AdminClient.encode(id);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The workspace's integrations.")
    static class List extends WorkspaceCommand {
        @Override
        public Integer call() {
            printList(base(), "integrations", COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One integration: its settings and, per channel, its destination id.")
    static class Show extends IntegrationCommand {
        @Override
        public Integer call() {
            JsonNode integration = client().get(integrationPath());
            if (json()) {
                print(integration, null, java.util.List.of());
                return 0;
            }
            var out = out();
            printOne(integration, COLUMNS);
            java.util.List<String> enabledTypes = new ArrayList<>();
            integration.path("notificationTypes").properties().iterator().forEachRemaining(type -> {
                if (type.getValue().asBoolean(false)) {
                    enabledTypes.add(type.getKey());
                }
            });
            out.println();
            out.println("Notification types: " + (enabledTypes.isEmpty() ? "(none)" : String.join(", ", enabledTypes)));
            out.println("Default channel: " + ConnectorsCli.text(integration, "defaultChannelId"));
            out.println();
            print(integration, integration.path("channels"), java.util.List.of(
                    Column.of("CHANNEL", "id"), Column.of("DESTINATION", "destinationId"),
                    new Column("ENABLED", row -> row.path("enabled").asString("")),
                    new Column("TARGET", row -> row.hasNonNull("url") ? ConnectorsCli.text(row, "url")
                            : ConnectorsCli.text(row, "name"))));
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Deliver to this integration again.")
    static class Enable extends IntegrationCommand {
        @Override
        public Integer call() {
            return setEnabled(this, true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop delivering to this integration (its settings are kept).")
    static class Disable extends IntegrationCommand {
        @Override
        public Integer call() {
            return setEnabled(this, false);
        }
    }

    private static int setEnabled(IntegrationCommand command, boolean enabled) {
        JsonNode answer = command.client().post(command.integrationPath() + (enabled ? ":enable" : ":disable"),
                null, null);
        command.printOne(answer, COLUMNS);
        return 0;
    }
}
