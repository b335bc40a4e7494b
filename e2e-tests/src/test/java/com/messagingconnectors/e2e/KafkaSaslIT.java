package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on a broker that requires authentication: the test starts its own KRaft broker whose only client
 * listener is SASL/SCRAM-SHA-512 with an authorizer that denies what no ACL allows, gives the services' principal the
 * ACLs deploy/README.md lists, and runs the schema registry, integration-service, ingest-service, router-service and
 * webhook-sender with the SCRAM credentials in the documented KAFKA_* environment variables. An event posted to
 * ingest arrives at a local HTTP receiver; another principal, or the right user with a wrong password, is refused.
 */
class KafkaSaslIT {
    // five JVMs and a broker start at once on a shared two-core machine
    private static final Duration STARTUP = Duration.ofMinutes(5);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final String SERVICE_USER = "connectors";
    private static final String SERVICE_PASSWORD = "svc-" + UUID.randomUUID();
    private static final String INTRUDER = "intruder";
    private static final String INTRUDER_PASSWORD = "intruder-" + UUID.randomUUID();
    private static final String ADMIN_API_KEY = "e2e-admin-" + UUID.randomUUID();
    private static final String SECRETS_KEY = "e2e:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final List<String> LOGGED = List.of("schema-registry-sasl", "integration-service", "ingest-service",
            "router-service", "webhook-sender");

    private static SaslScramBroker broker;
    private static ServiceProcess registry;
    private static WebhookReceiver receiver;
    private static ServiceGroup services;
    private static AdminSession admin;

    @BeforeAll
    static void startSystem() throws Exception {
        broker = SaslScramBroker.start(Map.of(SERVICE_USER, SERVICE_PASSWORD, INTRUDER, INTRUDER_PASSWORD),
                STARTUP);
        try (Admin superUser = broker.admin()) {
            superUser.createTopics(List.of(topic(Topics.PLATFORM_EVENTS), topic(Topics.PLATFORM_EVENTS_DLQ),
                    topic(Topics.notifications("webhook")), topic(Topics.deadLetter("webhook")),
                    topic(Topics.CONNECTORS_CONFIG).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT)),
                    topic(Topics.CONNECTORS_STATUS))).all().get(30, TimeUnit.SECONDS);
            superUser.createAcls(serviceAcls("User:" + SERVICE_USER)).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> kafkaSecurity = SaslScramBroker.clientEnvironment(SERVICE_USER, SERVICE_PASSWORD);
        String kafka = broker.bootstrapServers();
        registry = ServiceProcess.startMain("schema-registry-sasl", "com.messagingconnectors.registry.SchemaRegistryServer",
                List.of("--bootstrap-servers", kafka), kafkaSecurity, "/subjects").awaitReady(STARTUP);
        receiver = new WebhookReceiver();

        services = new ServiceGroup(List.of("--spring.kafka.bootstrap-servers=" + kafka,
                "--connectors.kafka.bootstrap-servers=" + kafka, "--schema.registry.url=" + registry.url(""),
                "--connectors.security.admin-api-key=" + ADMIN_API_KEY, "--connectors.secrets.keys=" + SECRETS_KEY),
                kafkaSecurity);
        // local mode: the receiver is a plain-http loopback endpoint
        ServiceProcess integrations = services.start("integration-service",
                List.of("--connectors.security.local-mode=true"));
        ServiceProcess ingest = services.start("ingest-service", List.of());
        ServiceProcess router = services.start("router-service", List.of());
        services.start("webhook-sender", List.of("--connectors.security.local-mode=true"));   // loopback receiver on any port
        services.awaitReady(STARTUP);
        admin = new AdminSession(integrations, ingest, router, ADMIN_API_KEY);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (AutoCloseable resource : new AutoCloseable[] {services, registry, receiver, broker}) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    @Test
    void eventPostedToIngestArrivesAtTheWebhookThroughTheSaslBroker() throws Exception {
        String workspace = "ws_sasl_" + UUID.randomUUID().toString().substring(0, 8);
        double workspacesBefore = admin.routerWorkspaceCount();
        String destination = admin.api("POST", "/v1/workspaces/" + workspace + "/integrations", """
                {"kind": "webhook", "name": "Receiver", "notificationTypes": {"report.completed": true},
                 "channels": [{"id": "receiver", "url": "%s"}], "defaultChannelId": "receiver"}
                """.formatted(receiver.url()), 201).at("/channels/0/destinationId").asString("");
        await("router reads the new integration from connectors.config").atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> admin.routerWorkspaceCount() >= workspacesBefore + 1);

        String eventId = admin.ingestEvent(ADMIN_API_KEY, workspace, "report.completed", "Weekly revenue is ready",
                "{\"reportId\": \"r-1\", \"reportName\": \"Weekly revenue\"}");

        WebhookReceiver.Received webhook = await("webhook for " + eventId).atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> receiver.received().stream().filter(r -> r.body().contains(eventId)).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        assertThat(webhook.headers()).containsEntry("webhook-id", NotificationIds.of(eventId, destination));
        assertThat(JSON.readTree(webhook.body()).at("/data/summary").asString("")).isEqualTo("Weekly revenue is ready");
    }

    @Test
    void anotherPrincipalCanNeitherReadTheConfigurationNorWriteEvents() {
        Properties consumerProperties = broker.clientProperties(INTRUDER, INTRUDER_PASSWORD);
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.CONNECTORS_CONFIG, 0)));
            Throwable refused = catchThrowable(() -> {
                for (int i = 0; i < 10; i++) {
                    consumer.poll(Duration.ofSeconds(2));
                }
            });
            assertThat(refused).as("reading connectors.config as %s", INTRUDER)
                    .isInstanceOf(TopicAuthorizationException.class);
        }

        Properties producerProperties = broker.clientProperties(INTRUDER, INTRUDER_PASSWORD);
        // idempotence would fail earlier, on the cluster; this asks about the topic itself
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producerProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties, new StringSerializer(),
                new StringSerializer())) {
            Throwable refused = catchThrowable(() ->
                    producer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, "ws_x", "forged")).get(30, TimeUnit.SECONDS));
            assertThat(unwrapped(refused)).as("writing platform.events as %s", INTRUDER)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theServiceUserWithAWrongPasswordIsNotAuthenticated() {
        try (Admin impostor = Admin.create(broker.clientProperties(SERVICE_USER, "not-" + SERVICE_PASSWORD))) {
            Throwable refused = catchThrowable(() -> impostor.listTopics().names().get(30, TimeUnit.SECONDS));
            assertThat(unwrapped(refused)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theServicesLogNeitherTheirKafkaPasswordNorTheirJaasConfig() throws Exception {
        Path logs = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
        for (String name : LOGGED) {
            String log = Files.readString(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
            assertThat(log).as("%s.log", name).isNotEmpty().doesNotContain(SERVICE_PASSWORD).doesNotContain("ScramLoginModule");
        }
    }

    /**
     * What the services' principal needs: their topics (by prefix: platform.events*, notifications.*, connectors.*,
     * _schemas) with every operation, any consumer group and transactional id, and describing the cluster. Other
     * principals get nothing (the broker denies what no ACL allows). The same list as deploy/README.md.
     */
    private static List<AclBinding> serviceAcls(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        for (String prefix : List.of("platform.events", "notifications.", "connectors.", "_schemas")) {
            acls.add(allow(principal, new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED),
                    AclOperation.ALL));
        }
        acls.add(allow(principal, new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL), AclOperation.ALL));
        acls.add(allow(principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL),
                AclOperation.ALL));
        acls.add(allow(principal, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static NewTopic topic(String name) {
        return new NewTopic(name, 1, (short) 1);
    }

    private static Throwable unwrapped(Throwable thrown) {
        return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    }
}
