package com.messagingconnectors.integration;

import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.testsupport.ConsoleLogin;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * What the integration-service tests share: HTTP calls to the running service (as an API key, or as a browser with
 * a cookie; redirects are not followed, so a test sees them), and reading a topic the service wrote.
 */
public final class ApiTestClient {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    public ApiTestClient(int port) {
        this.port = port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** An API call; {@code apiKey}, {@code body} and {@code ifMatch} may be null. */
    public HttpResponse<String> call(String method, String path, String apiKey, String body, String ifMatch)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A browser's GET (e.g. an OAuth start or callback), with the cookie it holds (may be null). */
    public HttpResponse<String> browserGet(String pathAndQuery, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A browser's form POST with the cookie it holds (may be null) and extra headers (e.g. Origin). */
    public HttpResponse<String> browserPost(String path, Map<String, String> form, String cookie,
                                            Map<String, String> headers) throws Exception {
        return ConsoleLogin.post(http, URI.create(base() + path), form, cookie, headers);
    }

    /** The console login form at {@code pathAndQuery}: its token, its login cookie, the page. */
    public record LoginForm(String token, String cookie, HttpResponse<String> page) {
    }

    public LoginForm loginForm(String pathAndQuery) throws Exception {
        ConsoleLogin.Form form = ConsoleLogin.open(http, URI.create(base() + pathAndQuery));
        return new LoginForm(form.fields().get("csrf"), form.cookie(), form.page());
    }

    /** Logs in at the console with {@code apiKey} the way the form does; the session cookie ({@code mc_console=…}). */
    public String consoleLogin(String apiKey) throws Exception {
        HttpResponse<String> done = ConsoleLogin.signIn(http, URI.create(base() + "/console/login"), apiKey);
        if (done.statusCode() != 303) {
            throw new AssertionError("console login answered " + done.statusCode() + ": " + done.body());
        }
        return cookie(done, ConsoleLogin.SESSION_COOKIE);
    }

    /** {@code name=value} of the cookie {@code response} sets, for a Cookie header. */
    public static String cookie(HttpResponse<?> response, String name) {
        return ConsoleLogin.cookie(response, name);
    }

    /** What every integration-service test context sets: the test broker, secrets keys, the operator key, loopback. */
    public static void serviceProperties(org.springframework.test.context.DynamicPropertyRegistry registry,
                                         String secretsKeys, String adminKey) {
        TestInfrastructure.createTopics(1, "connectors.config", "connectors.status");
        registry.add("connectors.kafka.bootstrap-servers", TestInfrastructure::bootstrapServers);
        registry.add("connectors.secrets.keys", () -> secretsKeys);
        registry.add("connectors.security.admin-api-key", () -> adminKey);
        registry.add("server.address", () -> "127.0.0.1");
    }

    /** A fresh workspace id, so tests sharing the broker do not see each other's integrations. */
    public static String workspace() {
        return "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Every committed record of partition 0 of {@code topic}, from the beginning to its current end. */
    public static List<ConsumerRecord<String, byte[]>> records(String topic) {
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** connectors.config as text, one record a line (to check what is, and what is not, stored). */
    public static String configTopicText() {
        StringBuilder all = new StringBuilder();
        for (ConsumerRecord<String, byte[]> r : records("connectors.config")) {
            if (r.value() != null) {
                all.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    /** The integration as stored on connectors.config now, as the router and the senders read it. */
    public static IntegrationConfig storedIntegration(String workspaceId, String id) throws IOException {
        String key = new ConfigKey(ConfigKey.INTEGRATION, workspaceId, id).toString();
        byte[] latest = null;
        for (ConsumerRecord<String, byte[]> r : records("connectors.config")) {
            if (key.equals(r.key())) {
                latest = r.value();
            }
        }
        return latest == null ? null : ConfigCodec.decode(latest, IntegrationConfig.class);
    }

    /** Writes reports on connectors.status as a sender or the router would, and waits for the broker. */
    public static void reportStatus(StatusReport... reports) throws Exception {
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (StatusReport report : reports) {
                producer.send(new ProducerRecord<>("connectors.status", report.integrationId(),
                        ConfigCodec.encode(report))).get();
            }
        }
    }

    /** {@code a=1&b=x%20y} → {a=1, b=x y}: a query string or a form body. */
    public static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
