package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.registry.RegistrySecurity;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A platform service built on connectors-events-spring-boot-starter (examples/reporting-service, its boot jar as a
 * process) publishing to a secured cluster: a broker of its own whose only client listener requires SASL/SCRAM-SHA-512
 * with an authorizer that denies what no ACL allows ({@link SaslScramBroker}), and our schema registry requiring basic
 * authentication. The example gets nothing but environment variables: its README's two lines, the project's
 * {@code KAFKA_SECURITY_PROTOCOL} / {@code KAFKA_SASL_MECHANISM} / {@code KAFKA_SASL_JAAS_CONFIG} and
 * {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}. Its principal may only write and describe {@code platform.events}.
 * A report run is read back from {@code platform.events} by a consumer authenticated as another SCRAM user; the same
 * service with a wrong SCRAM password answers the run with an error, logs the SASL authentication failure (never the
 * password) and writes nothing.
 */
class PublishingSaslIT {
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final String REPORTING_USER = "reporting";
    private static final String REPORTING_PASSWORD = "rep-" + UUID.randomUUID();
    private static final String READER_USER = "connectors";
    private static final String READER_PASSWORD = "svc-" + UUID.randomUUID();
    private static final String REGISTRY_CREDENTIALS = "reporting-registry:" + UUID.randomUUID();
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static SaslScramBroker broker;
    private static ServiceProcess registry;
    private static ServiceProcess reporting;

    @BeforeAll
    static void startSystem() throws Exception {
        broker = SaslScramBroker.start(Map.of(REPORTING_USER, REPORTING_PASSWORD, READER_USER, READER_PASSWORD),
                STARTUP);
        try (Admin superUser = broker.admin()) {
            superUser.createTopics(List.of(new NewTopic(Topics.PLATFORM_EVENTS, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            superUser.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
        }
        // our registry keeps its schemas in _schemas as the reader principal, and asks its clients for basic auth
        Map<String, String> registryEnvironment = new HashMap<>(
                SaslScramBroker.clientEnvironment(READER_USER, READER_PASSWORD));
        registryEnvironment.put("REGISTRY_BASIC_AUTH_USERS", REGISTRY_CREDENTIALS);
        registry = ServiceProcess.startMain("schema-registry-starter-sasl",
                "com.messagingconnectors.registry.SchemaRegistryServer",
                List.of("--bootstrap-servers", broker.bootstrapServers()), registryEnvironment, "/health")
                .awaitReady(STARTUP);
        reporting = ServiceProcess.start("reporting-service", "reporting-service-sasl", List.of(),
                reportingEnvironment(REPORTING_PASSWORD));
        reporting.awaitReady(STARTUP);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (AutoCloseable resource : new AutoCloseable[] {reporting, registry, broker}) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    /** Only environment variables, as a deployment would give them (a Secret with envFrom). */
    private static Map<String, String> reportingEnvironment(String scramPassword) {
        Map<String, String> environment = new HashMap<>(
                SaslScramBroker.clientEnvironment(REPORTING_USER, scramPassword));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("SCHEMA_REGISTRY_URL", registry.url("").toString());
        environment.put("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", REGISTRY_CREDENTIALS);
        return environment;
    }

    @Test
    void aReportRunIsPublishedThroughTheSaslBrokerAndTheSecuredRegistry() throws Exception {
        String workspace = "ws_sasl_reports_" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(
                        reporting.url("/workspaces/" + workspace + "/reports/r-7/runs?name=Churn"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(run.statusCode()).as("reporting-service: %s", run.body()).isEqualTo(202);
        String eventId = JSON.readTree(run.body()).path("eventId").asString("");

        // publish returned after the broker's acknowledgement: the record is there already
        List<ConsumerRecord<String, PlatformEvent>> records = eventsOf(workspace);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, PlatformEvent> record = records.get(0);
        assertThat(record.key()).isEqualTo(workspace);
        PlatformEvent event = record.value();
        assertThat(event.getEventId()).isEqualTo(eventId);
        assertThat(event.getType()).isEqualTo("report.completed");
        assertThat(event.getSource()).isEqualTo("reporting-service");
        assertThat(event.getPayload()).isInstanceOf(ReportCompleted.class);
        assertThat(((ReportCompleted) event.getPayload()).getReportName()).isEqualTo("Churn");

        // the schema was registered with the service's registry credentials, under the topic-name subject
        SchemaRegistryClient registered = new SchemaRegistryClient(registry.url("").toString(), Duration.ofSeconds(5),
                RegistrySecurity.basic(REGISTRY_CREDENTIALS));
        assertThat(registered.lookup(Topics.PLATFORM_EVENTS + "-value", PlatformEvent.getClassSchema())).isPositive();

        String log = Files.readString(reporting.log(), StandardCharsets.UTF_8);
        assertThat(log).as("reporting-service-sasl.log").doesNotContain(REPORTING_PASSWORD)
                .doesNotContain(REGISTRY_CREDENTIALS).doesNotContain("ScramLoginModule");
    }

    @Test
    void withAWrongScramPasswordThePublishFailsOnAuthenticationAndNothingIsWritten() throws Exception {
        String wrongPassword = "not-" + REPORTING_PASSWORD;
        String workspace = "ws_sasl_impostor_" + UUID.randomUUID().toString().substring(0, 8);
        try (ServiceProcess impostor = ServiceProcess.start("reporting-service", "reporting-service-sasl-wrong-password",
                List.of(), reportingEnvironment(wrongPassword))) {
            // the binder connects at the first publish (not at start), so the service comes up
            impostor.awaitReady(STARTUP);
            HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(
                            impostor.url("/workspaces/" + workspace + "/reports/r-7/runs"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).as("publishing with a wrong SCRAM password: %s", run.body()).isEqualTo(500);

            String log = Files.readString(impostor.log(), StandardCharsets.UTF_8);
            assertThat(log).as("reporting-service-sasl-wrong-password.log says why")
                    .contains("SaslAuthenticationException")
                    .contains("invalid credentials with SASL mechanism SCRAM-SHA-512")
                    .doesNotContain(wrongPassword).doesNotContain(REGISTRY_CREDENTIALS);
        }
        assertThat(eventsOf(workspace)).as("records of %s on platform.events", workspace).isEmpty();
    }

    /** Every record of {@code workspace} on platform.events, read to its end as the reader principal. */
    private static List<ConsumerRecord<String, PlatformEvent>> eventsOf(String workspace) {
        Properties properties = broker.clientProperties(READER_USER, READER_PASSWORD);
        AvroDeserializer<PlatformEvent> values = new AvroDeserializer<>(new SchemaRegistryClient(
                registry.url("").toString(), Duration.ofSeconds(5), RegistrySecurity.basic(REGISTRY_CREDENTIALS)));
        try (KafkaConsumer<String, PlatformEvent> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PLATFORM_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, PlatformEvent>> found = new ArrayList<>();
            await("platform.events read to its end").atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (workspace.equals(record.key())) {
                        found.add(record);
                    }
                });
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            });
            return found;
        }
    }

    /**
     * The platform service's principal may write (and describe) platform.events and nothing else; the reader (also the
     * registry's store) gets what deploy/README.md lists for the services' principal, less groups (it assigns).
     */
    private static List<AclBinding> acls() {
        String service = "User:" + REPORTING_USER;
        String reader = "User:" + READER_USER;
        ResourcePattern events = new ResourcePattern(ResourceType.TOPIC, Topics.PLATFORM_EVENTS, PatternType.LITERAL);
        return List.of(
                allow(service, events, AclOperation.WRITE),
                allow(service, events, AclOperation.DESCRIBE),
                allow(reader, events, AclOperation.ALL),
                allow(reader, new ResourcePattern(ResourceType.TOPIC, "_schemas", PatternType.PREFIXED), AclOperation.ALL),
                allow(reader, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                        AclOperation.DESCRIBE));
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
