package com.messagingconnectors.replaycli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The one convention of every {@code connectors} command: {@code --url} is the base URL of the service the command
 * talks to, {@code --key} the API key sent as a Bearer token, {@code --output} table or json. Without {@code --url},
 * the service's own environment variable, then its local-stack address; without {@code --key},
 * {@code CONNECTORS_API_KEY}, then {@code CONNECTORS_ADMIN_API_KEY}.
 */
class Connection {
    /** The services the CLI talks to, with their environment variable and local-stack address. */
    enum Service {
        INTEGRATIONS("integration-service", "CONNECTORS_INTEGRATIONS_URL", "http://127.0.0.1:8085"),
        INGEST("ingest-service", "CONNECTORS_INGEST_URL", "http://127.0.0.1:8080"),
        SENDER("the sender", "CONNECTORS_SENDER_URL", "http://127.0.0.1:8089");

        final String label;
        final String variable;
        final String localUrl;

        Service(String label, String variable, String localUrl) {
            this.label = label;
            this.variable = variable;
            this.localUrl = localUrl;
        }
    }

    enum Output { table, json }

    @Option(names = {"--url", "--sender"}, paramLabel = "URL",
            description = "Base URL of the service (default: its env variable, then the local stack: "
                    + "integration-service http://127.0.0.1:8085 (CONNECTORS_INTEGRATIONS_URL), ingest-service "
                    + "http://127.0.0.1:8080 (CONNECTORS_INGEST_URL), a sender http://127.0.0.1:8089 "
                    + "(CONNECTORS_SENDER_URL)).")
    String url;

    @Option(names = {"--key", "--admin-key"}, paramLabel = "KEY",
            description = "API key (default: env CONNECTORS_API_KEY, then CONNECTORS_ADMIN_API_KEY).")
    String key;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (the API's answer).")
    Output output = Output.table;

    boolean json() {
        return output == Output.json;
    }

    AdminClient client(CommandLine.Model.CommandSpec spec, Service service) {
        String apiKey = firstSet(key, System.getenv("CONNECTORS_API_KEY"), System.getenv("CONNECTORS_ADMIN_API_KEY"));
        if (apiKey == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "an API key is required: --key or env CONNECTORS_API_KEY (or CONNECTORS_ADMIN_API_KEY)");
        }
        String base = firstSet(url, System.getenv(service.variable), service.localUrl);
        return new AdminClient(base, apiKey, "--url or " + service.variable);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
