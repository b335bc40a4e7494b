package com.messagingconnectors.integration;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.integration.slack.SlackSignatureVerifier;
import com.messagingconnectors.testsupport.HostileJson;
import com.messagingconnectors.testsupport.HostileJson.Body;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fuzzing of the control plane's attacker-facing bodies over real HTTP, against a real broker: create and replace
 * integration, rules, notification settings, routing preview, and the Slack events endpoint (correctly signed
 * garbage, and unsigned). Never a 5xx; every 4xx is problem+json; a rejected body writes nothing to
 * connectors.config. Tries per property: jqwik.tries.default (src/test/resources/junit-platform.properties).
 */
class IntegrationApiFuzzTest {
    private static final String ADMIN_KEY = "fuzz-admin-key-" + UUID.randomUUID();
    private static final String SLACK_SIGNING_SECRET = "fuzz-signing-secret-" + UUID.randomUUID();
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final TopicPartition CONFIG = new TopicPartition("connectors.config", 0);

    /** One integration whose rules, settings and whole body the properties keep replacing. */
    private static final String WORKSPACE = ApiTestClient.workspace();
    private static String integrationPath;
    private static ConfigurableApplicationContext app;
    private static String base;
    private static KafkaConsumer<byte[], byte[]> configTopic;

    @BeforeContainer
    static void start() throws Exception {
        TestInfrastructure.createTopics(1, "connectors.config", "connectors.status", "platform.events");
        app = new SpringApplicationBuilder(IntegrationApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0",
                "--connectors.kafka.bootstrap-servers=" + TestInfrastructure.bootstrapServers(),
                "--connectors.schema-registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                "--connectors.secrets.keys=test:" + Base64.getEncoder().encodeToString(new byte[32]),
                "--connectors.security.admin-api-key=" + ADMIN_KEY,
                "--connectors.slack.signing-secret=" + SLACK_SIGNING_SECRET);
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        configTopic = new KafkaConsumer<>(TestInfrastructure.consumerProperties(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        HttpResponse<String> created = send("POST", "/v1/workspaces/" + WORKSPACE + "/integrations",
                "application/json", HostileJson.write(slackIntegration()).getBytes(), ADMIN_KEY, Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        integrationPath = "/v1/workspaces/" + WORKSPACE + "/integrations/" + JSON.readTree(created.body()).get("id")
                .asString("");
    }

    @AfterContainer
    static void stop() {
        if (configTopic != null) {
            configTopic.close();
        }
        if (app != null) {
            app.close();
        }
    }

    enum Endpoint { CREATE, REPLACE, RULES, NOTIFICATION_SETTINGS, PREVIEW }

    @Property
    void controlPlaneBodiesAreRejectedCleanly(@ForAll("requests") Tuple2<Endpoint, Body> request,
                                              @ForAll("contentTypes") String contentType) throws Exception {
        Body body = request.get2();
        String[] call = switch (request.get1()) {
            // a fresh workspace each time: names stay unique, so a valid body is really accepted
            case CREATE -> new String[] {"POST", "/v1/workspaces/" + ApiTestClient.workspace() + "/integrations"};
            case REPLACE -> new String[] {"PUT", integrationPath};
            case RULES -> new String[] {"PUT", integrationPath + "/rules"};
            case NOTIFICATION_SETTINGS -> new String[] {"PUT", integrationPath + "/notification-settings"};
            case PREVIEW -> new String[] {"POST", "/v1/workspaces/" + WORKSPACE + "/routing:preview"};
        };
        long before = configEnd();
        HttpResponse<String> response = send(call[0], call[1], contentType, body.bytes(), ADMIN_KEY, Map.of());

        assertThat(response.statusCode()).as("%s %s: %s", call[0], call[1], response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertProblem(response);
            assertThat(configEnd()).as("nothing written to connectors.config for a rejected body").isEqualTo(before);
        }
    }

    @Property
    void slackEventsNeverFail(@ForAll("slackBodies") Body body, @ForAll("signatures") String signing,
                              @ForAll("contentTypes") String contentType) throws Exception {
        String timestamp = Long.toString(Clock.systemUTC().instant().getEpochSecond());
        SlackSignatureVerifier signer = new SlackSignatureVerifier(SLACK_SIGNING_SECRET, Clock.systemUTC());
        Map<String, String> headers = switch (signing) {
            case "signed" -> Map.of("X-Slack-Request-Timestamp", timestamp,
                    "X-Slack-Signature", signer.sign(timestamp, body.bytes()));
            case "wrong secret" -> Map.of("X-Slack-Request-Timestamp", timestamp, "X-Slack-Signature",
                    new SlackSignatureVerifier("not-the-secret", Clock.systemUTC()).sign(timestamp, body.bytes()));
            case "garbage headers" -> Map.of("X-Slack-Request-Timestamp", "9".repeat(40), "X-Slack-Signature", "v0=zz");
            default -> Map.of();
        };
        HttpResponse<String> response = send("POST", "/slack/events", contentType, body.bytes(), null, headers);

        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertProblem(response);
        }
        if (!signing.equals("signed")) {
            assertThat(response.statusCode()).isIn(401, 413, 415); // 413: over the body limit, refused before the signature
        }
    }

    @Provide
    Arbitrary<Tuple2<Endpoint, Body>> requests() {
        Map<Endpoint, ObjectNode> valid = Map.of(
                Endpoint.CREATE, webhookIntegration(),
                Endpoint.REPLACE, slackIntegration(),
                Endpoint.RULES, json("{'rules':[{'id':'r1','name':'reports','match':{'types':['report.*'],"
                        + "'levels':['alert'],'attributes':[{'key':'env','equals':'prod'},"
                        + "{'key':'region','regex':'eu-.*'}]},'channelId':'C2','continueMatching':true}],"
                        + "'defaultChannelId':'C1'}"),
                Endpoint.NOTIFICATION_SETTINGS, json("{'notificationTypes':{'report.completed':true,"
                        + "'sync.failed':false,'brand.new_type':true}}"),
                Endpoint.PREVIEW, json("{'type':'report.completed','summary':'Weekly revenue is ready',"
                        + "'level':'alert','attributes':{'env':'prod'},"
                        + "'payload':{'reportId':'rep_1','reportName':'Weekly revenue'}}"));
        return Arbitraries.of(Endpoint.values()).flatMap(endpoint -> {
            ObjectNode sample = valid.get(endpoint);
            return HostileJson.bodies(List.of(sample), HostileJson.paths(sample)).map(b -> Tuple.of(endpoint, b));
        });
    }

    @Provide
    Arbitrary<Body> slackBodies() {
        List<ObjectNode> valid = List.of(
                json("{'type':'url_verification','token':'t','challenge':'3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'}"),
                json("{'type':'event_callback','team_id':'T0001','api_app_id':'A1','event_id':'Ev1',"
                        + "'event':{'type':'app_uninstalled'}}"),
                json("{'type':'event_callback','team_id':'T0001','event_id':'Ev2',"
                        + "'event':{'type':'tokens_revoked','tokens':{'oauth':['U1'],'bot':['U2']}}}"));
        return HostileJson.bodies(valid, valid.stream().flatMap(v -> HostileJson.paths(v).stream()).distinct().toList());
    }

    @Provide
    Arbitrary<String> signatures() {
        return Arbitraries.frequency(Tuple.of(6, "signed"), Tuple.of(1, "unsigned"), Tuple.of(1, "wrong secret"),
                Tuple.of(1, "garbage headers"));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return HostileJson.contentTypes();
    }

    private static ObjectNode slackIntegration() {
        return json("{'kind':'slack','name':'Fuzz Slack','enabled':true,'notificationTypes':{'report.completed':true},"
                + "'channels':[{'id':'C1','name':'#general'},{'id':'C2','name':'#ops'}],'defaultChannelId':'C1',"
                + "'rules':[{'id':'r1','name':'reports','match':{'types':['report.*']},'channelId':'C2'}]}");
    }

    /** A public address literal: no DNS lookup, and the SSRF check lets it through. */
    private static ObjectNode webhookIntegration() {
        return json("{'kind':'webhook','name':'Fuzz hooks','channels':[{'id':'h1','url':'https://93.184.216.34/hook',"
                + "'description':'on-call','types':['report.completed'],'headers':{'X-Team':'sre'},'enabled':true}],"
                + "'defaultChannelId':'h1','rules':[{'id':'r1','match':{'levels':['alert']},'channelId':'h1'}]}");
    }

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertProblem(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).as(response.body()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt(0)).isEqualTo(response.statusCode());
        assertThat(problem.path("detail").asString("")).as(response.body()).isNotBlank();
    }

    private static long configEnd() {
        return configTopic.endOffsets(List.of(CONFIG)).get(CONFIG);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body,
                                             String apiKey, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
