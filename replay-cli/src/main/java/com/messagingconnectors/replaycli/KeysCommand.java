package com.messagingconnectors.replaycli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.replaycli.ConnectorsCli.Column;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code connectors keys create|list|revoke}: a workspace's API keys in integration-service. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke a workspace's API keys (integration-service).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
class KeysCommand {
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("PREFIX", "prefix"), new Column("SCOPES", row -> {
                List<String> scopes = new ArrayList<>();
                row.path("scopes").forEach(scope -> scopes.add(scope.asString("")));
                return String.join(",", scopes);
            }), Column.of("CREATED", "createdAt"), Column.of("REVOKED", "revokedAt"));

    abstract static class KeysBase extends ServiceCommand.Workspace {
        String base() {
            return workspacePath("api-keys");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "A new key; its secret is printed once and cannot be shown again.")
    static class Create extends KeysBase {
        @Option(names = "--name", description = "What the key is for, e.g. reporting-service.")
        String name;
        @Option(names = "--scope", split = ",", description = "Scope(s), e.g. events:write (default: the service's).")
        List<String> scopes = new ArrayList<>();

        @Override
        public Integer call() {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            if (name != null) {
                body.put("name", name);
            }
            scopes.forEach(scope -> body.withArrayProperty("scopes").add(scope));
            JsonNode key = client().post(base(), "application/json", body.toString());
            printOne(key, COLUMNS);
            if (!json()) {
                var out = out();
                out.println();
                out.println("Key (shown once, store it now): " + ConnectorsCli.text(key, "key"));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The workspace's keys (never their secrets).")
    static class ListKeys extends KeysBase {
        @Override
        public Integer call() {
            printList(base(), "apiKeys", COLUMNS);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static class Revoke extends KeysBase {
        @Parameters(paramLabel = "KEY_ID", description = "Key id (from keys list).")
        String keyId;

        @Override
        public Integer call() {
            client().delete(base() + "/" + AdminClient.encode(keyId));
            var out = out();
            out.println(json() ? "{\"revoked\": \"" + keyId + "\"}" : "Revoked " + keyId);
            out.flush();
            return 0;
        }
    }
}
