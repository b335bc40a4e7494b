package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code connectors}: the operator's command line for the whole system, one convention for every command
 * ({@link Connection}: {@code --url}, {@code --key}, {@code --output}).
 */
@Command(name = "connectors", mixinStandardHelpOptions = true, version = "connectors 0.1.0",
        description = "Operate Messaging Connectors: integrations, API keys, events, routing previews and dead letters.",
        subcommands = {IntegrationsCommand.class, KeysCommand.class, EventsCommand.class, PreviewCommand.class,
                ReplayCli.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:some items failed (e.g. notifications that could not be replayed)",
                "2:bad arguments, or the service refused the request (nothing was changed)",
                "3:the service refused the API key", "4:the service cannot be reached or failed"})
public class ConnectorsCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = withExitCodes(new CommandLine(new ConnectorsCli()));
        // `connectors generate-completion` prints a bash/zsh completion script; not a command to list among the others
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        return commandLine;
    }

    /** picocli's usage errors are bad arguments; an API answer's exit code is its {@link AdminClient.AdminException}'s. */
    static CommandLine withExitCodes(CommandLine commandLine) {
        commandLine.setExitCodeExceptionMapper(e -> e instanceof AdminClient.AdminException admin
                ? admin.exitCode : ReplayCli.EXIT_BAD_ARGUMENTS);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof AdminClient.AdminException admin) {
                cmd.getErr().println(commandLine.getCommandName() + ": " + admin.getMessage());
                cmd.getErr().flush();
                return admin.exitCode;
            }
            throw e;
        });
        return commandLine;
    }

    /** A column of a table: its heading and how to read it from one row of the answer. */
    record Column(String heading, Function<JsonNode, String> value) {
        static Column of(String heading, String field) {
            return new Column(heading, row -> text(row, field));
        }
    }

    /** Rows as an aligned table (columns as wide as their widest cell), or the answer as JSON. */
    static void print(PrintWriter out, Connection connection, JsonNode answer, JsonNode rows, List<Column> columns) {
        if (connection.json()) {
            out.println(answer.toPrettyString());
            out.flush();
            return;
        }
        int[] widths = new int[columns.size()];
        List<List<String>> cells = new java.util.ArrayList<>();
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(column -> column.value().apply(row)).toList());
        }
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).heading().length();
            for (List<String> line : cells) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        printLine(out, columns.stream().map(Column::heading).toList(), widths);
        cells.forEach(line -> printLine(out, line, widths));
        out.flush();
    }

    private static void printLine(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        return value.isContainer() ? value.toString() : value.asString("");
    }
}
