package com.messagingconnectors.registry;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with an independent implementation: the npm package @kafkajs/confluent-schema-registry
 * (src/test/node, installed by the build with `npm ci`) registers a schema in our registry and encodes a
 * PlatformEvent that our AvroDeserializer decodes, and decodes what our AvroSerializer wrote. Needs `node` on
 * the PATH: without it this test fails, it is never skipped.
 */
class InteropWithKafkajsClientTest {
    private static final Path NODE_DIR = Path.of(System.getProperty("interop.node.dir", "src/test/node"));

    @TempDir
    Path temp;

    @Test
    void bytesEncodedByTheNodeClientDecodeWithOurDeserializer() throws Exception {
        String topic = "interop-" + UUID.randomUUID();
        Path schemaFile = temp.resolve("PlatformEvent.avsc");
        Files.writeString(schemaFile, PlatformEvent.getClassSchema().toString());

        JsonNode encoded = RegistryHttp.JSON.readTree(
                node("encode", TestKafka.registryUrl(), schemaFile.toString(), topic + "-value"));

        // The node client registered under the topic-name subject: the same id our client finds there.
        int id = encoded.get("id").asInt(0);
        assertThat(new SchemaRegistryClient(TestKafka.registryUrl()).lookup(topic + "-value",
                PlatformEvent.getClassSchema())).isEqualTo(id);

        AvroDeserializer<PlatformEvent> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", TestKafka.registryUrl()), false);
        PlatformEvent event = deserializer.deserialize(topic, Base64.getDecoder().decode(encoded.get("base64").asString("")));

        assertThat(event.getEventId()).isEqualTo("7b0c4a52-3c1e-4f7e-9a59-2d2d5d1f0a11");
        assertThat(event.getType()).isEqualTo("alert.triggered");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1764316800123L));
        assertThat(event.getLevel()).isEqualTo(Level.alert);
        assertThat(event.getLink()).isEqualTo("https://app.example.com/alerts/al_7");
        assertThat(event.getSource()).isNull();
        assertThat(event.getAttributes()).containsExactly(Map.entry("team", "sre"));
        AlertTriggered alert = (AlertTriggered) event.getPayload();
        assertThat(alert.getMetric()).isEqualTo("cpu.usage");
        assertThat(alert.getValue()).isEqualTo(0.97);
    }

    @Test
    void bytesWrittenByOurSerializerDecodeWithTheNodeClient() throws Exception {
        String topic = "interop-" + UUID.randomUUID();
        PlatformEvent event = PlatformEvent.newBuilder()
                .setEventId("0f8e2c8e-3f55-4a53-b3a4-64a4f1d3c0de")
                .setType("report.completed")
                .setWorkspaceId("ws_java")
                .setOccurredAt(Instant.ofEpochMilli(1764316800456L))
                .setSummary("Weekly revenue is ready")
                .setAttributes(Map.of("team", "analytics"))
                .setPayload(ReportCompleted.newBuilder().setReportId("rep_1").setReportName("Weekly revenue")
                        .setRowCount(1200L).build())
                .build();
        AvroSerializer<PlatformEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", TestKafka.registryUrl()), false);
        byte[] bytes = serializer.serialize(topic, event);

        JsonNode decoded = RegistryHttp.JSON.readTree(
                node("decode", TestKafka.registryUrl(), Base64.getEncoder().encodeToString(bytes)));

        assertThat(decoded.get("eventId").asString("")).isEqualTo("0f8e2c8e-3f55-4a53-b3a4-64a4f1d3c0de");
        assertThat(decoded.get("workspaceId").asString("")).isEqualTo("ws_java");
        assertThat(decoded.get("occurredAt").asLong(0)).isEqualTo(1764316800456L);
        assertThat(decoded.get("level").asString("")).isEqualTo("info");
        assertThat(decoded.get("link").isNull()).isTrue();
        assertThat(decoded.get("attributes").get("team").asString("")).isEqualTo("analytics");
        JsonNode report = decoded.get("payload").get("com.messagingconnectors.schemas.avro.ReportCompleted");
        assertThat(report.get("reportName").asString("")).isEqualTo("Weekly revenue");
        assertThat(report.get("rowCount").asLong(0)).isEqualTo(1200L);
    }

    /** Runs the node side and returns its stdout; fails (never skips) when node or the package is missing. */
    private String node(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "interop.js"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                    .redirectError(temp.resolve("node-stderr.txt").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("`node` (Node.js 20+) is required for the interop test and was not found", e);
        }
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue())
                .as("node %s failed (run `npm ci` in %s?):%n%s", args[0], NODE_DIR,
                        Files.readString(temp.resolve("node-stderr.txt")))
                .isZero();
        return stdout;
    }
}
