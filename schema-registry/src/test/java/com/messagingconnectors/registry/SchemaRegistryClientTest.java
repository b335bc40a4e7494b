package com.messagingconnectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The project's registry client against the real registry: ids, caching and the errors a user sees. */
class SchemaRegistryClientTest {

    @Test
    void registersAndFetchesSchemasAndKeepsThemWhenTheRegistryGoesAway() {
        String subject = "client-" + UUID.randomUUID() + "-value";
        int id;
        SchemaRegistryClient client;
        try (SchemaRegistryServer own = new SchemaRegistryServer(TestKafka.bootstrapServers(), "127.0.0.1", 0,
                (short) 1, "_schemas_client_test").start()) {
            client = new SchemaRegistryClient(own.url());
            id = client.register(subject, PlatformEvent.getClassSchema());
            assertThat(client.register(subject, PlatformEvent.getClassSchema())).isEqualTo(id);
            assertThat(client.lookup(subject, PlatformEvent.getClassSchema())).isEqualTo(id);
            assertThat(new SchemaRegistryClient(own.url()).getById(id)).isEqualTo(PlatformEvent.getClassSchema());
        }
        // Cached: ids never change, so a registry outage does not stop producers and consumers that know them.
        assertThat(client.register(subject, PlatformEvent.getClassSchema())).isEqualTo(id);
        assertThat(client.getById(id).getFullName()).isEqualTo("com.messagingconnectors.schemas.avro.PlatformEvent");
    }

    @Test
    void errorAnswersCarryConfluentsErrorCodeAndMessage() {
        SchemaRegistryClient client = new SchemaRegistryClient(TestKafka.registryUrl());
        String subject = "client-" + UUID.randomUUID() + "-value";
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"Thing","fields":[{"name":"a","type":"string"}]}""");
        Schema breaking = new Schema.Parser().parse("""
                {"type":"record","name":"Thing","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
        client.register(subject, v1);

        assertThatThrownBy(() -> client.register(subject, breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("schema registry at " + TestKafka.registryUrl())
                .hasMessageContaining("HTTP 409 (error_code 409)")
                .hasMessageContaining("incompatible with an earlier schema");
        assertThatThrownBy(() -> client.getById(999_999))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("Schema 999999 not found");
    }

    @Test
    void anUnreachableRegistryIsReportedAtOnce() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient client = new SchemaRegistryClient("http://127.0.0.1:" + closedPort, Duration.ofSeconds(30));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.register("x-value", PlatformEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("schema registry at http://127.0.0.1:" + closedPort + " is unreachable: connection refused");
        // Refused connections fail at once instead of waiting for the (here 30 s) timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aRegistryThatDoesNotAnswerTimesOutWithAClearMessage() throws IOException {
        // Accepts TCP connections (backlog) but never answers HTTP.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            SchemaRegistryClient client = new SchemaRegistryClient(url, Duration.ofMillis(300));

            assertThatThrownBy(() -> client.getById(1))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessage("schema registry at " + url + " did not answer GET /schemas/ids/1 within 300 ms");
        }
    }
}
