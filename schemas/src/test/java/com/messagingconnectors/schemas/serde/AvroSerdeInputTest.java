package com.messagingconnectors.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * What the serde says about input it cannot handle, before any registry is involved, and when the registry is
 * down. The round trips through a real registry and broker are tested in the schema-registry module.
 */
class AvroSerdeInputTest {

    @Test
    void missingRegistryUrlIsAConfigurationError() {
        assertThatThrownBy(() -> new AvroDeserializer<PlatformEvent>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void bytesWithoutTheMagicByteAreRejectedWithTheReason() {
        AvroDeserializer<PlatformEvent> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:1"), false);

        assertThatThrownBy(() -> deserializer.deserialize("platform.events", "{\"type\":\"x\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("platform.events")
                .hasMessageContaining("unknown magic byte 0x7b");
        assertThatThrownBy(() -> deserializer.deserialize("platform.events", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void unreachableRegistryFailsFastWithAClearMessage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        assertThatThrownBy(() -> new SchemaRegistryClient(url, Duration.ofSeconds(2)).getById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("schema registry at " + url + " is unreachable: connection refused");

        AvroSerializer<PlatformEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", url), false);
        PlatformEvent event = PlatformEvent.newBuilder()
                .setEventId("e-1").setType("custom.thing").setWorkspaceId("w-1")
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).setSummary("s")
                .setPayload(GenericPayload.newBuilder().setJson("{}").build())
                .build();
        assertThatThrownBy(() -> serializer.serialize("platform.events", event))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject platform.events-value")
                .hasMessageContaining("is unreachable: connection refused");
        assertThat(serializer.serialize("platform.events", null)).isNull();
    }
}
