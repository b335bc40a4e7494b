package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Slack rate-limit benchmark against a running local stack (Kafka, registry, integration-service, slack-sender) whose
 * Slack is the sandbox (1 message/s per channel, burst 5, HTTP 429 beyond — like Slack):
 * connects a Slack integration through the real connect flow (start URL, the sandbox's Allow, callback), gives it
 * {@code --channels} channels, produces {@code --per-channel-rate} notifications/s to each for {@code --seconds}
 * straight to notifications.slack, and waits until every one arrived. Reports messages delivered/s, the 429s the
 * sandbox answered (target under 1 % of requests) and whether every message arrived exactly once.
 */
public final class SlackBench {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String bootstrap = args.string("bootstrap-servers", "127.0.0.1:9092");
        String registry = args.string("schema-registry", "http://127.0.0.1:8081");
        String api = args.string("integrations-url", "http://127.0.0.1:8085");
        String sandbox = args.string("sandbox-url", "http://127.0.0.1:8099");
        String apiKey = args.string("api-key", "mck_dev_local_only_ws_demo");
        String workspace = args.string("workspace", "ws_demo");
        int channels = args.integer("channels", 100);
        int perChannelRate = args.integer("per-channel-rate", 2);
        int seconds = args.integer("seconds", 60);
        int drainMinutes = args.integer("drain-minutes", 15);

        String integrationId = connect(api, apiKey, workspace, channels);
        JsonNode before = stats(sandbox);
        int total = channels * perChannelRate * seconds;
        String run = UUID.randomUUID().toString().substring(0, 8);
        long start = System.nanoTime();
        try (KafkaProducer<String, Notification> producer = producer(bootstrap, registry)) {
            // paced in 10 ms ticks: every channel gets perChannelRate notifications each second
            int perSecond = channels * perChannelRate;
            long next = System.nanoTime();
            for (long tick = 1, sent = 0; sent < total; tick++) {
                long due = Math.min(total, tick * perSecond / 100);
                for (; sent < due; sent++) {
                    producer.send(record(integrationId, workspace, run, (int) sent, (int) (sent % channels)));
                }
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("produced %d notifications (%d channels x %d/s x %d s) in %.1f s%n", total, channels,
                perChannelRate, seconds, produceSeconds);

        long deadline = System.nanoTime() + Duration.ofMinutes(drainMinutes).toNanos();
        JsonNode after = stats(sandbox);
        while (distinct(after) - distinct(before) < total && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            after = stats(sandbox);
        }
        long arrived = distinct(after) - distinct(before);
        long posts = after.get("benchPosts").asLong(0) - before.get("benchPosts").asLong(0);
        long limited = after.get("rateLimited").asLong(0) - before.get("rateLimited").asLong(0);
        double span = (after.get("benchLastMillis").asLong(0) - Math.max(after.get("benchFirstMillis").asLong(0),
                before.get("benchLastMillis").asLong(0))) / 1000.0;
        System.out.printf("delivered: %d of %d distinct messages (%s), %d posts accepted (%d duplicates)%n", arrived,
                total, arrived == total ? "every message arrived" : "MISSING " + (total - arrived), posts,
                posts - arrived);
        System.out.printf("rate: %.1f messages/s over %.1f s from first to last arrival (the stand-in allows %d/s)%n",
                posts / span, span, channels);
        System.out.printf("429s: %d of %d requests = %.3f %% (target < 1 %%)%n", limited, posts + limited,
                100.0 * limited / Math.max(1, posts + limited));
        delete(api, apiKey, workspace, integrationId);
    }

    /** A Slack integration with the bench channels, connected through the real flow (the sandbox plays Slack). */
    private static String connect(String api, String apiKey, String workspace, int channels) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < channels; i++) {
            String id = "C0BENCH%03d".formatted(i);
            list.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"name\":\"#bench-")
                    .append("%03d".formatted(i)).append("\"}");
        }
        JsonNode created = JSON.readTree(call("POST", api + "/v1/workspaces/" + workspace + "/integrations", apiKey,
                "{\"kind\":\"slack\",\"name\":\"slack bench " + UUID.randomUUID().toString().substring(0, 6)
                        + "\",\"notificationTypes\":{\"report.completed\":true},\"channels\":[" + list
                        + "],\"defaultChannelId\":\"C0BENCH000\"}", 201));
        String id = created.get("id").asString("");
        String startUrl = JSON.readTree(call("POST", api + "/v1/workspaces/" + workspace + "/integrations/" + id
                + "/slack:connect", apiKey, null, 200)).get("startUrl").asString("");
        // connect links open only for a console session of the key that asked for them
        HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create(startUrl))
                .header("cookie", consoleLogin(api, apiKey)).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = start.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        String authorizePage = HTTP.send(HttpRequest.newBuilder(URI.create(start.headers().firstValue("location")
                .orElseThrow())).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher allow = Pattern.compile("href=\"([^\"]+)\">Allow").matcher(authorizePage);
        if (!allow.find()) {
            throw new IllegalStateException("the sandbox's authorize page has no Allow link; is SLACK_API_BASE_URL"
                    + " the sandbox?");
        }
        HttpResponse<String> callback = HTTP.send(HttpRequest.newBuilder(URI.create(allow.group(1)
                .replace("&amp;", "&"))).header("cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        if (callback.statusCode() != 200) {
            throw new IllegalStateException("connecting failed: HTTP " + callback.statusCode() + " " + callback.body());
        }
        System.out.println("connected integration " + id + " with " + channels + " channels");
        return id;
    }

    /** Signs in at integration-service's console login form with {@code apiKey}; the session cookie. */
    private static String consoleLogin(String api, String apiKey) throws Exception {
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/console/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        if (!token.find()) {
            throw new IllegalStateException("the console login page has no form token: HTTP " + form.statusCode());
        }
        String formCookie = form.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("mc_login="))
                .findFirst().orElseThrow().split(";", 2)[0];
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/console/login"))
                .header("content-type", "application/x-www-form-urlencoded").header("cookie", formCookie)
                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)
                        + "&csrf=" + token.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("console login failed: HTTP " + signedIn.statusCode());
        }
        return signedIn.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("mc_console="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    private static ProducerRecord<String, Notification> record(String integrationId, String workspace, String run,
                                                               int n, int channel) {
        String channelId = "C0BENCH%03d".formatted(channel);
        String destinationId = integrationId + "/" + channelId;
        String eventId = UUID.randomUUID().toString();
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType("report.completed")
                .setWorkspaceId(workspace).setOccurredAt(Instant.now()).setSummary("bench " + run + " #" + n)
                .setPayload(new GenericPayload("{\"n\":" + n + "}")).build();
        Notification notification = Notification.newBuilder()
                .setNotificationId(NotificationIds.of(eventId, destinationId)).setChannel("slack")
                .setDestination(new Destination(destinationId, integrationId, channelId))
                .setRoutedAt(Instant.now()).setEvent(event).build();
        return new ProducerRecord<>(Topics.notifications("slack"), destinationId, notification);
    }

    private static JsonNode stats(String sandbox) throws IOException, InterruptedException {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(sandbox + "/slack/api/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static long distinct(JsonNode stats) {
        return stats.get("benchDistinct").asLong(0);
    }

    private static String call(String method, String url, String apiKey, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + apiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static void delete(String api, String apiKey, String workspace, String id) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/workspaces/" + workspace + "/integrations/" + id))
                    .header("authorization", "Bearer " + apiKey).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            System.out.println("could not delete the bench integration " + id + ": " + e);
        }
    }

    private static KafkaProducer<String, Notification> producer(String bootstrap, String registry) {
        Properties properties = KafkaClients.properties(bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        properties.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        return new KafkaProducer<>(properties);
    }
}
