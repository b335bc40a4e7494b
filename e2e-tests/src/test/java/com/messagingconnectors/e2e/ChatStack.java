package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.sandbox.SandboxServer;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.Properties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The whole product as a workspace admin meets it, started once per test run and shared by the test classes that ask
 * for it (by extending {@link OnChatStack}): the sandbox (in this JVM) plays Slack, Microsoft, Google Chat and webhook
 * endpoints; integration-service, ingest-service, router-service, digest-service and all four senders run as processes
 * on the tests' broker and registry. Each class works in workspaces of its own, so the classes do not see each other's
 * integrations; starting eight JVMs once instead of four per class saves minutes of every {@code ./mvnw verify}.
 */
final class ChatStack implements AutoCloseable {
    static final Duration STARTUP = Duration.ofMinutes(4);
    static final Duration DELIVERY = Duration.ofSeconds(60);
    static final String ADMIN_API_KEY = "e2e-admin-" + UUID.randomUUID();
    private static final String SECRETS_KEY = "e2e:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final SandboxServer sandbox;
    final ServiceProcess integrations;
    final ServiceProcess ingest;
    final ServiceProcess router;
    final AdminSession admin;
    private final ServiceGroup services;
    /** The running process of each service, by name (a restart replaces it). */
    private final Map<String, ServiceProcess> running = new ConcurrentHashMap<>();

    private ChatStack() throws Exception {
        services = ServiceGroup.onTestInfrastructure(ADMIN_API_KEY, SECRETS_KEY);
        try {
            for (String channel : List.of("webhook", "slack", "teams", "googlechat")) {
                ServiceGroup.createTopics(channel);
            }
            TestInfrastructure.createTopics(3, Topics.DIGEST_INPUT);
            TestInfrastructure.createTopics(1, Topics.CONNECTORS_CONFIG, Topics.CONNECTORS_STATUS,
                    Topics.DIGEST_INPUT_DLQ);
            sandbox = services.closing(new SandboxServer(0).start());
            String slackApi = sandbox.url() + "/slack";
            List<String> microsoft = List.of("--connectors.teams.client-id=e2e-teams-client",
                    "--connectors.teams.client-secret=e2e-teams-secret",
                    "--connectors.teams.authority-base-url=" + sandbox.url() + "/microsoft/login",
                    "--connectors.teams.graph-base-url=" + sandbox.url() + "/microsoft/graph");
            // local mode: the sandbox's webhook, Workflows and Google Chat URLs are plain http on loopback
            String localMode = "--connectors.security.local-mode=true";

            ServiceProcess webhookSender = start("webhook-sender", List.of(localMode));
            List<String> integrationArgs = new ArrayList<>(microsoft);
            integrationArgs.addAll(List.of(localMode,
                    "--connectors.slack.client-id=e2e-client", "--connectors.slack.client-secret=e2e-secret",
                    "--connectors.slack.api-base-url=" + slackApi,
                    // the port is chosen at start: Spring resolves the placeholders from --server.port
                    "--connectors.slack.redirect-uri=http://127.0.0.1:${server.port}/oauth/slack/callback",
                    "--connectors.teams.public-base-url=http://127.0.0.1:${server.port}",
                    // the routing preview's recent events are Avro records on platform.events
                    "--connectors.schema-registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                    // the console's dead-letter pages ask the webhook sender
                    "--connectors.console.senders.webhook=" + webhookSender.url("")));
            integrations = start("integration-service", integrationArgs);
            ingest = start("ingest-service", List.of());
            router = start("router-service", List.of());
            start("slack-sender", List.of("--connectors.slack.api-base-url=" + slackApi));
            List<String> teamsArgs = new ArrayList<>(microsoft);
            teamsArgs.add(localMode);
            start("teams-sender", teamsArgs);
            start("googlechat-sender", List.of(localMode));
            // its own application id and state directory: Kafka Streams' group, transactions and stores of this run
            String stateDir = Files.createTempDirectory("e2e-digest-state").toString();
            start("digest-service", List.of(
                    "--spring.cloud.stream.kafka.streams.binder.applicationId=e2e-digest-" + UUID.randomUUID(),
                    "--spring.cloud.stream.kafka.streams.binder.configuration.state.dir=" + stateDir));
            services.awaitReady(STARTUP);
            admin = new AdminSession(integrations, ingest, router, ADMIN_API_KEY);
        } catch (Exception | Error e) {
            services.close();
            throw e;
        }
    }

    private ServiceProcess start(String name, List<String> args) throws Exception {
        ServiceProcess process = services.start(name, args);
        running.put(name, process);
        return process;
    }

    /**
     * SIGKILLs {@code name} (a sender or digest-service: nothing holds its address) and starts it again with the same
     * arguments, port and state directory; does not wait for it.
     */
    ServiceProcess killAndRestart(String name, String suffix) throws Exception {
        ServiceProcess killed = running.get(name);
        killed.kill();
        ServiceProcess restarted = killed.restart(suffix);
        services.alsoClosing(restarted);
        running.put(name, restarted);
        return restarted;
    }

    /** The running process of {@code name}. */
    ServiceProcess service(String name) {
        return running.get(name);
    }

    /** A sync.failed event of {@code sourceId} (a fresh id) as a platform service posts it to ingest. */
    static ObjectNode syncFailed(String workspaceId, String sourceId, String summary, Map<String, String> attributes) {
        ObjectNode event = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("type", "sync.failed")
                .put("workspaceId", workspaceId).put("occurredAt", Instant.now().toString()).put("level", "warning")
                .put("summary", summary);
        attributes.forEach(event.putObject("attributes")::put);
        event.putObject("payload").put("sourceId", sourceId).put("sourceName", "Postgres (prod)")
                .put("errorMessage", "connection reset");
        return event;
    }

    /** POSTs {@code events} as one batch to ingest with the operator key; it must be accepted (202). */
    void postBatch(List<ObjectNode> events) throws Exception {
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("events").addAll(events);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(ingest.url("/v1/events:batch"))
                        .header("authorization", "Bearer " + ADMIN_API_KEY).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    /**
     * Every notification on {@code notifications.<channel>} and {@code notifications.<channel>.digested} as its sender
     * reads them (read_committed), from the start to the end they have now: what the router and the digest stage
     * committed for the senders.
     */
    List<Notification> committedNotifications(String channel) {
        AvroDeserializer<Notification> avro = new AvroDeserializer<>();
        avro.configure(Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl()), false);
        Properties props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Notification> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = Stream.of(Topics.notifications(channel), Topics.digested(channel))
                    .flatMap(topic -> consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    out.add(avro.deserialize(record.topic(), record.value()));
                }
            }
        }
        return out;
    }

    /** What slack-sender posted to the sandbox (chat.postMessage and chat.update bodies, decoded). */
    JsonNode slackMessages() throws Exception {
        return sandboxJson("/slack/api/messages");
    }

    JsonNode awaitSlackMessage(Predicate<JsonNode> wanted) {
        return awaitItem("a Slack message", "/slack/api/messages", wanted);
    }

    /** What teams-sender posted to the sandbox's Graph: {@code {path, replyTo, card, …}}. */
    JsonNode awaitTeamsCard(Predicate<JsonNode> wanted) {
        return awaitItem("a Teams card", "/microsoft/api/cards", wanted);
    }

    /** What teams-sender posted (Graph channel messages and Workflows posts): {@code {path, mode, replyTo, card}}. */
    JsonNode teamsCards() throws Exception {
        return sandboxJson("/microsoft/api/cards");
    }

    /** What googlechat-sender posted, newest first: {@code {id, receivedAt, space, message}}. */
    JsonNode googleChatMessages() throws Exception {
        return sandboxJson("/googlechat/api/messages");
    }

    JsonNode awaitGoogleChatMessage(Predicate<JsonNode> wanted) {
        return awaitItem("a Google Chat message", "/googlechat/api/messages", wanted);
    }

    private JsonNode sandboxJson(String path) throws Exception {
        return JSON.readTree(admin.get(URI.create(sandbox.url() + path)).body());
    }

    private JsonNode awaitItem(String what, String path, Predicate<JsonNode> wanted) {
        return await(what).atMost(DELIVERY).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (JsonNode item : sandboxJson(path)) {
                if (wanted.test(item)) {
                    return item;
                }
            }
            return null;
        }, item -> item != null);
    }

    @Override
    public void close() throws Exception {
        services.close();
    }

    /** Gives a test class the run's stack, started by the first class that asks and stopped when the run ends. */
    static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ChatStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // the root context's store closes what it holds (AutoCloseable) when the whole run is over
            return context.getRoot().getStore(ExtensionContext.Namespace.create(ChatStack.class))
                    .getOrComputeIfAbsent(ChatStack.class, key -> {
                        try {
                            return new ChatStack();
                        } catch (Exception e) {
                            throw new IllegalStateException("the shared e2e stack did not start", e);
                        }
                    }, ChatStack.class);
        }
    }
}
