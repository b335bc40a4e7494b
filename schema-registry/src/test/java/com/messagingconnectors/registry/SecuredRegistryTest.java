package com.messagingconnectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.RegistrySecurity;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry with authentication and TLS switched on, called by the project's own client and serializer
 * configured the way services configure them: what works with the right settings and what a user sees without.
 */
class SecuredRegistryTest {
    private static final String PASSWORD = "s3cret-registry-pw";
    private static SchemaRegistryServer registry;
    @TempDir
    static Path dir;
    private static Path truststore;
    private static SchemaRegistryServer tlsRegistry;

    @BeforeAll
    static void start() throws Exception {
        registry = new SchemaRegistryServer(TestKafka.bootstrapServers(), "127.0.0.1", 0, (short) 1,
                "_schemas_secured_test").requireBasicAuth("platform:" + PASSWORD + ",ops:other-pw").start();
        Path keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        Path cert = dir.resolve("registry.crt");
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", "trustpw");
        tlsRegistry = new SchemaRegistryServer(TestKafka.bootstrapServers(), "127.0.0.1", 0, (short) 1,
                "_schemas_tls_test").requireBasicAuth("platform:" + PASSWORD).tls(serverContext(keystore)).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
        tlsRegistry.close();
    }

    @Test
    void theRightUserRegistersAndReads() {
        SchemaRegistryClient client = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.basic("platform:" + PASSWORD));
        int id = client.register(subject(), PlatformEvent.getClassSchema());
        SchemaRegistryClient other = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.basic("ops:other-pw"));
        assertThat(other.getById(id)).isEqualTo(PlatformEvent.getClassSchema());
    }

    @Test
    void wrongOrMissingCredentialsGiveAClearErrorWithoutThePassword() {
        SchemaRegistryClient wrong = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.basic("platform:not-the-password"));
        assertThatThrownBy(() -> wrong.register(subject(), PlatformEvent.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo(40101);
                })
                .hasMessageContaining("HTTP 401: the credentials were not accepted; check basic.auth.user.info")
                .hasMessageNotContaining("not-the-password");
        SchemaRegistryClient anonymous = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.NONE);
        assertThatThrownBy(() -> anonymous.getById(1))
                .hasMessageContaining("HTTP 401: it requires authentication; set basic.auth.user.info or "
                        + "bearer.auth.token (or SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        SchemaRegistryClient bearer = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.bearer("some-token"));
        assertThatThrownBy(() -> bearer.getById(1)).hasMessageContaining("the credentials were not accepted");
    }

    @Test
    void theHealthProbeStaysOpenAndEverythingElseIsClosed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        for (String path : List.of("/", "/subjects", "/config", "/schemas/ids/1", "/health/../subjects")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(registry.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Basic realm="));
        }
    }

    @Test
    void theSerializerTakesCredentialsFromItsConfigurationOrTheUrl() {
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setType("custom.thing").setWorkspaceId("ws_secured").setOccurredAt(Instant.now())
                .setSummary("s").setPayload(new com.messagingconnectors.schemas.avro.GenericPayload("{}")).build();
        String topic = "secured-" + UUID.randomUUID();
        try (AvroSerializer<PlatformEvent> configured = new AvroSerializer<>();
             AvroSerializer<PlatformEvent> inUrl = new AvroSerializer<>();
             AvroSerializer<PlatformEvent> wrong = new AvroSerializer<>()) {
            configured.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    RegistrySecurity.BASIC_AUTH_USER_INFO, "platform:" + PASSWORD), false);
            assertThat(configured.serialize(topic, event)[0]).isZero();
            inUrl.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                    registry.url().replace("http://", "http://platform:" + PASSWORD + "@")), false);
            assertThat(inUrl.serialize(topic, event)[0]).isZero();
            wrong.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    RegistrySecurity.BASIC_AUTH_USER_INFO, "platform:guess"), false);
            assertThatThrownBy(() -> wrong.serialize(topic, event))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("schema registry at " + registry.url() + " refused")
                    .hasMessageContaining("credentials were not accepted")
                    .hasMessageNotContaining("guess");
        }
    }

    @Test
    void overTlsTheClientNeedsATruststoreThatTrustsTheRegistry() {
        assertThat(tlsRegistry.url()).startsWith("https://");
        Map<String, String> settings = Map.of(
                RegistrySecurity.BASIC_AUTH_USER_INFO, "platform:" + PASSWORD,
                RegistrySecurity.SSL_TRUSTSTORE_LOCATION, truststore.toString(),
                RegistrySecurity.SSL_TRUSTSTORE_PASSWORD, "trustpw");
        SchemaRegistryClient trusting = new SchemaRegistryClient(tlsRegistry.url(), Duration.ofSeconds(5),
                RegistrySecurity.from(settings, Map.of()));
        int id = trusting.register(subject(), PlatformEvent.getClassSchema());
        assertThat(id).isPositive();

        SchemaRegistryClient untrusting = new SchemaRegistryClient(tlsRegistry.url(), Duration.ofSeconds(5),
                RegistrySecurity.basic("platform:" + PASSWORD));
        assertThatThrownBy(() -> untrusting.getById(id))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("failed the TLS handshake")
                .hasMessageContaining("schema.registry.ssl.truststore.location");
    }

    private static String subject() {
        return "secured-" + UUID.randomUUID() + "-value";
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The JDK's keytool, from the JDK running the tests. */
    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
