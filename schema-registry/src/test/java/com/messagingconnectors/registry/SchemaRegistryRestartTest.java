package com.messagingconnectors.registry;

import static com.messagingconnectors.registry.RegistryHttp.schemaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Restarting the registry on the same broker keeps ids, versions and settings: its state lives in Kafka. */
class SchemaRegistryRestartTest {
    private static final String V1 = """
            {"type":"record","name":"Order","namespace":"restart","fields":[{"name":"id","type":"string"}]}""";
    private static final String V2 = """
            {"type":"record","name":"Order","namespace":"restart","fields":[{"name":"id","type":"string"},
             {"name":"note","type":["null","string"],"default":null}]}""";

    @Test
    void aRestartedRegistryServesWhatTheOldOneRegistered() {
        // Its own store topic: the registry is single-writer, and the shared one keeps running on _schemas.
        String topic = "_schemas_restart_test";
        int id1;
        int id2;
        try (SchemaRegistryServer first = server(topic)) {
            RegistryHttp registry = new RegistryHttp(first.url());
            id1 = registry.post("/subjects/orders-value/versions", schemaRequest(V1)).body().get("id").asInt();
            id2 = registry.post("/subjects/orders-value/versions", schemaRequest(V2)).body().get("id").asInt();
            registry.put("/config/orders-value", "{\"compatibility\":\"FULL\"}");
            registry.put("/config", "{\"compatibility\":\"FORWARD\"}");
            registry.delete("/subjects/orders-value/versions/1");
        }

        try (SchemaRegistryServer second = server(topic)) {
            RegistryHttp registry = new RegistryHttp(second.url());
            assertThat(registry.get("/schemas/ids/" + id1).body().get("schema").asText()).doesNotContain("note");
            assertThat(registry.get("/subjects/orders-value/versions").body().toString()).isEqualTo("[2]");
            assertThat(registry.get("/subjects/orders-value/versions/latest").body().get("id").asInt()).isEqualTo(id2);
            assertThat(registry.get("/config/orders-value").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(registry.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FORWARD");

            // New ids continue after the old ones instead of reusing them.
            String other = V1.replace("Order", "Invoice");
            int id3 = registry.post("/subjects/invoices-value/versions", schemaRequest(other)).body().get("id").asInt();
            assertThat(id3).isGreaterThan(Math.max(id1, id2));
            // Re-registering the deleted version's schema gives back its id, under a new version number.
            assertThat(registry.post("/subjects/orders-value/versions", schemaRequest(V1)).body().get("id").asInt())
                    .isEqualTo(id1);
            assertThat(registry.get("/subjects/orders-value/versions").body().toString()).isEqualTo("[2,3]");
        }
    }

    private static SchemaRegistryServer server(String topic) {
        return new SchemaRegistryServer(TestKafka.bootstrapServers(), "127.0.0.1", 0, (short) 1, topic).start();
    }
}
