package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What an SRE sees of the running system (ingest, router and webhook-sender as their own processes): one event's
 * W3C trace id on every hop (platform.events, notifications.webhook, its retry topic), in the webhook requests the
 * customer's endpoint receives, in the spans exported to an OTLP/HTTP receiver, and in the JSON log lines; and every
 * metric the shipped alert rules and dashboard name is exported at /actuator/prometheus.
 */
class ObservabilityIT {
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration DELIVERY = Duration.ofSeconds(90);
    private static final String ADMIN_API_KEY = "obs-admin-" + UUID.randomUUID();
    private static final String KEYS = "obs:" + Base64.getEncoder().encodeToString(new byte[32]);
    @RegisterExtension
    static final ServiceGroup services = ServiceGroup.onTestInfrastructure(ADMIN_API_KEY, KEYS);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Path OBSERVABILITY = Path.of("..").toAbsolutePath().normalize()
            .resolve("deploy/observability");
    private static final String TRACED = "ws_trace_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String REFUSED = "ws_refused_" + UUID.randomUUID().toString().substring(0, 8);

    private static WebhookReceiver receiver;
    private static HttpServer otlp;
    private static final List<byte[]> exportedSpans = new CopyOnWriteArrayList<>();
    private static ServiceProcess ingest;
    private static ServiceProcess router;
    private static ServiceProcess sender;

    @BeforeAll
    static void startSystem() throws Exception {
        ServiceGroup.createTopics("webhook", Topics.CONNECTORS_CONFIG);
        receiver = new WebhookReceiver();
        otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otlp.createContext("/v1/traces", exchange -> {
            exportedSpans.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        otlp.start();
        for (String workspace : List.of(TRACED, REFUSED)) {
            writeIntegration(workspace);
        }
        services.alsoClosing(receiver).alsoClosing(() -> otlp.stop(0));
        List<String> observed = List.of(
                "--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                        + otlp.getAddress().getPort() + "/v1/traces",
                "--management.opentelemetry.tracing.export.schedule-delay=500ms",
                "--logging.structured.format.console=ecs");
        ingest = services.start("ingest-service", observed);
        router = services.start("router-service", observed);
        List<String> senderArgs = new ArrayList<>(observed);
        senderArgs.addAll(List.of("--connectors.security.local-mode=true",
                "--connectors.delivery.schedule=0s,1s,2s"));
        sender = services.start("webhook-sender", senderArgs);
        services.awaitReady(STARTUP);
    }

    @Test
    void oneEventsTraceIdIsOnEveryHopInTheWebhookRequestInTheSpansAndInTheLogs() throws Exception {
        String traceId = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), 0, 16);
        String callerSpan = "00f067aa0ba902b7";
        String eventId = UUID.randomUUID().toString();
        receiver.answer(TRACED, 503); // the first attempt fails: the retry hop carries the trace too

        HttpResponse<String> accepted = postEvent(eventId, TRACED, "00-" + traceId + "-" + callerSpan + "-01");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        List<WebhookReceiver.Received> webhooks = await("two attempts of the webhook").atMost(DELIVERY)
                .until(() -> receiver.received().stream().filter(r -> r.body().contains(eventId)).toList(),
                        list -> list.size() >= 2);
        for (WebhookReceiver.Received webhook : webhooks) {
            assertThat(webhook.headers().get("traceparent")).as("traceparent of the webhook request")
                    .startsWith("00-" + traceId + "-").doesNotContain(callerSpan);
        }

        Set<String> topicsWithTheTrace = topicsCarrying(traceId,
                Set.of(Topics.PLATFORM_EVENTS, Topics.notifications("webhook"),
                        Topics.notifications("webhook") + ".retry-1"));
        assertThat(topicsWithTheTrace).contains(Topics.PLATFORM_EVENTS, Topics.notifications("webhook"),
                Topics.notifications("webhook") + ".retry-1");

        byte[] traceIdBytes = HexFormat.of().parseHex(traceId);
        for (String service : List.of("ingest-service", "router-service", "webhook-sender")) {
            await("spans of " + service + " exported over OTLP").atMost(Duration.ofSeconds(30))
                    .until(() -> exportedSpans.stream().anyMatch(body -> contains(body, traceIdBytes)
                            && contains(body, service.getBytes(StandardCharsets.UTF_8))));
        }

        JsonNode logLine = await("a JSON log line of the delivery").atMost(Duration.ofSeconds(10))
                .until(() -> jsonLinesOf(sender.log()).stream()
                        .filter(line -> line.toString().contains(eventId)).findFirst().orElse(null),
                        line -> line != null);
        assertThat(logLine.toString()).contains(traceId).contains(TRACED);
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
        // traffic, so that the counters exist: one delivered, one refused by the endpoint (dead-lettered)
        receiver.answer(REFUSED, 400);
        String refusedEvent = UUID.randomUUID().toString();
        assertThat(postEvent(UUID.randomUUID().toString(), TRACED, null).statusCode()).isEqualTo(202);
        assertThat(postEvent(refusedEvent, REFUSED, null).statusCode()).isEqualTo(202);
        await().atMost(DELIVERY).until(() -> receiver.received().stream().anyMatch(r -> r.body().contains(refusedEvent)));

        Set<String> named = new TreeSet<>();
        String rules = Files.readString(OBSERVABILITY.resolve("prometheus-rules.yml"));
        Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(rules);
        assertThat(parsed).containsKey("groups");
        named.addAll(metricNames(rules));
        named.addAll(metricNames(Files.readString(OBSERVABILITY.resolve("grafana/messaging-connectors.json"))));
        assertThat(named).contains("connectors_delivery_dead_lettered_total", "kafka_consumer_fetch_manager_records_lag",
                "connectors_liveness");

        await("every named metric is scraped").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> exported = new TreeSet<>();
            for (ServiceProcess service : List.of(ingest, router, sender)) {
                exported.addAll(seriesNames(scrape(service)));
            }
            assertThat(exported).containsAll(named);
        });
        // per-partition lag series appear once the client has fetched and the binder's next refresh saw them
        await("each consumer's lag is scraped").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(scrape(router)).containsPattern(
                    "kafka_consumer_fetch_manager_records_lag\\{[^}]*group=\"router-service\"[^}]*topic=\"platform.events\"");
            assertThat(scrape(sender)).containsPattern(
                    "kafka_consumer_fetch_manager_records_lag\\{[^}]*group=\"webhook-sender\"");
        });
        assertThat(scrape(router)).contains("connectors_liveness{application=\"router-service\"} 1.0");
    }

    // --- helpers

    private static HttpResponse<String> postEvent(String eventId, String workspace, String traceparent)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(ingest.url("/v1/events"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + ADMIN_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "%s", "type": "report.completed", "workspaceId": "%s", "level": "info",
                         "summary": "Weekly revenue report finished", "payload": {"reportId": "r-1", "reportName": "Weekly revenue", "rowCount": 1}}
                        """.formatted(eventId, workspace)));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Topics among {@code topics} that hold a record whose traceparent has {@code traceId}. */
    private static Set<String> topicsCarrying(String traceId, Set<String> topics) {
        var props = TestInfrastructure.consumerProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "obs-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> found = new TreeSet<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            await("records carrying trace " + traceId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            Header header = record.headers().lastHeader("traceparent");
                            if (header != null && new String(header.value(), StandardCharsets.UTF_8)
                                    .startsWith("00-" + traceId + "-")) {
                                found.add(record.topic());
                            }
                        }
                        return found.containsAll(topics);
                    });
        }
        return found;
    }

    private static String scrape(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.url("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Series names of a Prometheus text exposition. */
    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** Metric names in PromQL expressions: the project's, Kafka clients' and HTTP server series. */
    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:connectors|kafka|http_server)_[a-z0-9_]+)\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<JsonNode> jsonLinesOf(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void writeIntegration(String workspace) throws Exception {
        SecretBox secrets = SecretBox.fromConfig(KEYS, null);
        String id = "int-" + UUID.randomUUID();
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig("receiver", "receiver", receiver.url().toString(),
                null, List.of(secrets.seal("whsec_" + Base64.getEncoder().encodeToString(new byte[24]),
                        SecretPurposes.signing(workspace, id, "receiver"))), true);
        IntegrationConfig integration = new IntegrationConfig(id, workspace, IntegrationKind.webhook, "observed",
                true, Map.of("report.completed", true), "receiver", List.of(endpoint), List.of(), Map.of(), Map.of(),
                1, Instant.now(), Instant.now());
        try (var producer = new KafkaProducer<>(TestInfrastructure.producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CONNECTORS_CONFIG,
                    new ConfigKey(ConfigKey.INTEGRATION, workspace, id).toString(), ConfigCodec.encode(integration)))
                    .get();
        }
    }
}
