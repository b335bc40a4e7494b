package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.replaycli.ConnectorsCli.Column;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What every {@code connectors} command that calls a service shares: the {@link Connection} options, the client for
 * its service and the printing of the answer; a command says only its own options, its call and its columns.
 */
abstract class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Connection connection = new Connection();

    private final Connection.Service service;

    ServiceCommand(Connection.Service service) {
        this.service = service;
    }

    /** The client of this command's service, with the key and URL of the options (or their defaults). */
    AdminClient client() {
        return connection.client(spec, service);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code --output json}: print the API's answer as it is. */
    boolean json() {
        return connection.json();
    }

    /** The rows as a table, or the whole answer as JSON. */
    void print(JsonNode answer, JsonNode rows, List<Column> columns) {
        ConnectorsCli.print(out(), connection, answer, rows, columns);
    }

    /** GET {@code path} and print the answer's {@code rowsField} as a table (or the whole answer as JSON). */
    void printList(String path, String rowsField, List<Column> columns) {
        JsonNode answer = client().get(path);
        print(answer, answer.path(rowsField), columns);
    }

    /** An answer that is one item (an integration, a key) as a table of one row, or as JSON. */
    void printOne(JsonNode item, List<Column> columns) {
        print(item, AdminClient.JSON.createArrayNode().add(item), columns);
    }

    /** A command on one workspace of integration-service: {@code -w/--workspace} and the workspace's paths. */
    abstract static class Workspace extends ServiceCommand {
        @CommandLine.Option(names = {"-w", "--workspace"}, required = true, description = "Workspace id, e.g. ws_acme.")
        String workspace;

        Workspace() {
            super(Connection.Service.INTEGRATIONS);
        }

        /** {@code v1/workspaces/<workspace>/<path>}. */
        String workspacePath(String path) {
            return "v1/workspaces/" + AdminClient.encode(workspace) + "/" + path;
        }
    }
}
