package com.messagingconnectors.deploy;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.schemas.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks the Kubernetes base (deploy/k8s) and the compose file (deploy/compose) against the services they run,
 * without a cluster or a Docker daemon: it parses the YAML files (nothing is rendered) and the services' own
 * configuration (application.yml, @Value placeholders, @ConfigurationProperties records), so a renamed setting, a
 * missing probe or a scaler allowed more instances than partitions fails the build instead of a rollout.
 */
class DeploymentManifestsTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path K8S = REPO.resolve("deploy/k8s");
    /** One sender per channel kind of the registry: a new kind without its manifests fails here. */
    private static final List<String> CHANNELS = IntegrationKind.IDS;
    private static final List<String> BOOT_SERVICES = Stream.concat(
            Stream.of("ingest-service", "integration-service", "router-service", "digest-service"),
            CHANNELS.stream().map(channel -> channel + "-sender")).toList();

    private final List<Map<String, Object>> base = loadKustomization(K8S);
    private final List<Map<String, Object>> registryComponent = loadKustomization(
            K8S.resolve("components/schema-registry"));
    private final Map<String, String> config = stringMap(get(only(base, "ConfigMap", "connectors-config"), "data"));

    @Test
    void everyManifestFileIsInItsKustomization() throws IOException {
        assertThat(yamlFilesIn(K8S)).containsExactlyInAnyOrderElementsOf(
                stringList(load(K8S.resolve("kustomization.yaml")).get(0).get("resources")));
    }

    @Test
    void everyWorkloadHasProbesResourcesAndAGracefulStop() {
        List<Map<String, Object>> workloads = workloads(base);
        assertThat(workloads).extracting(DeploymentManifestsTest::name).containsExactlyInAnyOrderElementsOf(
                BOOT_SERVICES);
        workloads.addAll(workloads(registryComponent));
        for (Map<String, Object> workload : workloads) {
            String name = name(workload);
            Map<String, Object> pod = map(get(workload, "spec", "template", "spec"));
            Map<String, Object> app = appContainer(workload);
            boolean boot = !name.equals("schema-registry"); // ours serves /health, not Spring Boot's actuator
            assertThat(get(app, "readinessProbe", "httpGet", "path")).as(name + " readiness")
                    .isEqualTo(boot ? "/actuator/health/readiness" : "/health");
            assertThat(get(app, "livenessProbe", "httpGet", "path")).as(name + " liveness")
                    .isEqualTo(boot ? "/actuator/health/liveness" : "/health");
            assertThat(get(app, "readinessProbe", "httpGet", "port")).as(name).isEqualTo("http");
            assertThat(get(app, "resources", "requests", "cpu")).as(name + " cpu request").isNotNull();
            assertThat(mebibytes(get(app, "resources", "requests", "memory"))).as(name + " memory request")
                    .isPositive()
                    .isLessThanOrEqualTo(mebibytes(get(app, "resources", "limits", "memory")));
            assertThat(get(pod, "securityContext", "runAsNonRoot")).as(name + " non-root").isEqualTo(true);
            assertThat(pdbSelecting(name)).as(name + " has a PodDisruptionBudget").isTrue();
            assertThat(serviceFor(name)).as(name + " has a Service on its port").isEqualTo(containerPort(app));
            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).intValue()).as(name).isGreaterThan(0);
        }
    }

    @Test
    void serviceListensWhereTheManifestsSayAndOnEveryAddress() throws IOException {
        for (String service : BOOT_SERVICES) {
            Map<String, Object> app = appContainer(only(base, null, service));
            int port = ((Number) get(applicationYml(service), "server", "port")).intValue();
            assertThat(containerPort(app)).as(service).isEqualTo(port);
            assertThat(only(base, null, service)).extracting(w -> get(w, "spec", "template", "metadata",
                    "annotations", "prometheus.io/port")).as(service).isEqualTo(String.valueOf(port));
            assertThat(envValues(app)).as(service).containsEntry("SERVER_ADDRESS", "0.0.0.0");
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() throws IOException {
        Set<String> secretKeys = secretKeys();
        for (String service : BOOT_SERVICES) {
            Set<String> readable = namesTheServiceReads(service);
            for (Map<String, Object> env : envList(appContainer(only(base, null, service)))) {
                String name = (String) env.get("name");
                assertThat(readable).as(service + " reads " + name).contains(name);
                Object configKey = get(env, "valueFrom", "configMapKeyRef", "key");
                if (configKey != null) {
                    assertThat(config).as(service + ": ConfigMap key").containsKey((String) configKey);
                }
                Object secretKey = get(env, "valueFrom", "secretKeyRef", "key");
                if (secretKey != null) {
                    assertThat(secretKeys).as(service + ": secret key in secrets.env.example").contains((String) secretKey);
                }
            }
        }
        // the bundled registry takes its settings as arguments: every variable it gets is used in them
        Map<String, Object> registry = appContainer(only(registryComponent, null, "schema-registry"));
        for (Map<String, Object> env : envList(registry)) {
            assertThat(String.join(" ", stringList(registry.get("args")))).contains("$(" + env.get("name") + ")");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKafkaClientTakesTheOptionalKafkaClientSecuritySecret() throws IOException {
        List<Map<String, Object>> containers = new ArrayList<>();
        workloads(base).forEach(workload -> containers.add(appContainer(workload)));
        workloads(registryComponent).forEach(workload -> containers.add(appContainer(workload)));
        containers.add(map(((List<?>) get(only(base, "Job", "create-topics"), "spec", "template", "spec",
                "containers")).get(0)));
        assertThat(containers).hasSize(BOOT_SERVICES.size() + 2);
        for (Map<String, Object> container : containers) {
            assertThat((List<Object>) container.get("envFrom")).as("%s envFrom", container.get("image"))
                    .contains(Map.<String, Object>of("secretRef",
                            Map.<String, Object>of("name", "kafka-client-security", "optional", true)));
        }
        Map<String, Object> compose = map(load(REPO.resolve("deploy/compose/compose.yaml")).get(0).get("services"));
        compose.forEach((name, service) -> {
            if (!name.equals("kafka")) {
                assertThat((List<Object>) map(service).get("env_file")).as(name + " env_file")
                        .contains(Map.<String, Object>of("path", "kafka-client-security.env", "required", false));
            }
        });
    }

    @Test
    void composeUsesTheSameNamesAndImages() throws IOException {
        Map<String, Object> services = map(load(REPO.resolve("deploy/compose/compose.yaml")).get(0).get("services"));
        for (String service : BOOT_SERVICES) {
            Map<String, Object> compose = map(services.get(service));
            assertThat(compose.get("image")).isEqualTo(appContainer(only(base, null, service)).get("image"));
            assertThat(namesTheServiceReads(service)).as(service + " in compose")
                    .containsAll(map(compose.get("environment")).keySet());
        }
    }

    @Test
    void integrationServiceIsTheOneConfigWriter() {
        Map<String, Object> deployment = only(base, "Deployment", "integration-service");
        assertThat(get(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(get(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(base).noneMatch(d -> name(d).equals("integration-service")
                && List.of("ScaledObject", "HorizontalPodAutoscaler").contains(d.get("kind")));
    }

    @Test
    void sendersScaleOnTheirOwnGroupUpToTheirTopicsPartitions() throws IOException {
        Map<String, Integer> partitions = partitionsPlanned();
        for (String channel : CHANNELS) {
            String sender = channel + "-sender";
            Map<String, Object> scaler = only(base, "ScaledObject", sender);
            List<String> expectedTopics = new ArrayList<>(List.of("notifications." + channel,
                    Topics.digested(channel)));
            for (int step = 1; step <= CreateTopics.RETRY_STEPS; step++) {
                expectedTopics.add(CreateTopics.retryTopic(channel, step));
            }
            assertThat(triggers(scaler)).extracting(t -> t.get("topic")).as(sender)
                    .containsExactlyElementsOf(expectedTopics);
            assertScaler(scaler, sender, sender, partitions.get("notifications." + channel));
            assertThat(triggers(scaler)).filteredOn(t -> ((String) t.get("topic")).contains(".retry-"))
                    .allMatch(t -> "true".equals(t.get("excludePersistentLag")));
            assertThat(scaler).extracting(s -> get(s, "spec", "minReplicaCount")).isEqualTo(1);
            // a stop waits for in-flight deliveries up to the shutdown timeout, then closes consumer and producer
            int grace = (Integer) get(only(base, "Deployment", sender), "spec", "template", "spec",
                    "terminationGracePeriodSeconds");
            assertThat(Duration.ofSeconds(grace)).as(sender).isGreaterThan(senderShutdownTimeout().plusSeconds(20));
        }
        Map<String, Object> router = only(base, "ScaledObject", "router-service");
        assertThat(triggers(router)).extracting(t -> t.get("topic")).containsExactly("platform.events");
        assertScaler(router, "router-service", "router-service", partitions.get("platform.events"));
        // Kafka Streams' consumer group is its application id
        Map<String, Object> digest = only(base, "ScaledObject", "digest-service");
        assertThat(triggers(digest)).extracting(t -> t.get("topic")).containsExactly("notifications.digest");
        assertScaler(digest, "digest-service", (String) get(applicationYml("digest-service"), "spring", "cloud",
                "stream", "kafka", "streams", "binder", "applicationId"), partitions.get("notifications.digest"));
        assertThat(get(only(base, "HorizontalPodAutoscaler", "ingest-service"), "spec", "metrics"))
                .asString().contains("cpu");
    }

    @Test
    void routerInstancesHaveStableUniqueTransactionalIds() {
        Map<String, Object> router = only(base, "StatefulSet", "router-service");
        Map<String, Object> env = envList(appContainer(router)).stream()
                .filter(e -> e.get("name").equals("ROUTER_TRANSACTIONAL_ID")).findFirst().orElseThrow();
        assertThat(get(env, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
    }

    @Test
    void digestServiceKeepsItsStoresOnAVolume() {
        Map<String, Object> digest = only(base, "StatefulSet", "digest-service");
        String stateDir = envValues(appContainer(digest))
                .get("SPRING_CLOUD_STREAM_KAFKA_STREAMS_BINDER_CONFIGURATION_STATE_DIR");
        assertThat(stateDir).as("state.dir").isNotNull();
        List<?> mounts = (List<?>) appContainer(digest).get("volumeMounts");
        assertThat(mounts).as("a volume holds " + stateDir).anyMatch(m -> stateDir.startsWith((String) map(m).get("mountPath")));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void assertScaler(Map<String, Object> scaler, String target, String group, int topicPartitions) {
        assertThat(get(scaler, "spec", "scaleTargetRef", "name")).isEqualTo(target);
        // more instances than partitions would idle: a partition is read by one member of the group
        assertThat((Integer) get(scaler, "spec", "maxReplicaCount")).as(target + " max ≤ partitions")
                .isLessThanOrEqualTo(topicPartitions);
        Set<String> containerEnv = envValues(appContainer(only(base, null, target))).keySet();
        for (Map<String, Object> trigger : triggers(scaler)) {
            assertThat(trigger.get("consumerGroup")).as(target).isEqualTo(group);
            assertThat(containerEnv).as(target + " bootstrapServersFromEnv")
                    .contains((String) trigger.get("bootstrapServersFromEnv"));
            assertThat(Integer.parseInt((String) trigger.get("lagThreshold"))).isPositive();
        }
    }

    /** Partitions per topic as the create-topics Job makes them from the ConfigMap (CreateTopics' own plan). */
    private Map<String, Integer> partitionsPlanned() {
        Map<String, Object> job = only(base, "Job", "create-topics");
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : envList(map(((List<?>) get(job, "spec", "template", "spec", "containers")).get(0)))) {
            Object key = get(e, "valueFrom", "configMapKeyRef", "key");
            env.put((String) e.get("name"), key == null ? (String) e.get("value") : config.get((String) key));
        }
        Map<String, Integer> partitions = new HashMap<>();
        for (NewTopic topic : CreateTopics.plan(env)) {
            partitions.put(topic.name(), topic.numPartitions());
        }
        return partitions;
    }

    private static Duration senderShutdownTimeout() throws IOException {
        Object configured = get(applicationYml("webhook-sender"), "connectors", "delivery", "shutdown-timeout");
        return configured == null ? Duration.ofSeconds(10) : Duration.ofSeconds(
                Long.parseLong(configured.toString().replace("s", "")));
    }

    /**
     * Environment variables a service reads: {@code ${NAME}} placeholders in its application.yml and Java sources,
     * and the environment form of every property it has (application.yml keys, placeholder property names,
     * {@code @ConfigurationProperties} record components) — Spring maps {@code SPRING_KAFKA_BOOTSTRAP_SERVERS} to
     * {@code spring.kafka.bootstrap-servers}. Sources of delivery-core and config-core count for the services that use them.
     */
    private static Set<String> namesTheServiceReads(String service) throws IOException {
        List<Path> sources = new ArrayList<>(List.of(REPO.resolve(service + "/src/main")));
        String pom = Files.readString(REPO.resolve(service + "/pom.xml"));
        if (pom.contains("<artifactId>delivery-core</artifactId>")) {
            sources.add(REPO.resolve("delivery-core/src/main"));
        }
        if (pom.contains("<artifactId>delivery-core</artifactId>") || pom.contains("<artifactId>config-core</artifactId>")) {
            sources.add(REPO.resolve("config-core/src/main"));   // the API security settings live there
        }
        Set<String> names = new HashSet<>();
        Set<String> properties = new HashSet<>();
        flattenKeys("", applicationYml(service), properties);
        for (Path root : sources) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".yml"))
                        .toList()) {
                    String text = Files.readString(file);
                    Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)").matcher(text);
                    while (placeholder.find()) {
                        String name = placeholder.group(1);
                        if (name.equals(name.toUpperCase())) {
                            names.add(name);
                        } else {
                            properties.add(name);
                        }
                    }
                    properties.addAll(configurationProperties(text));
                    names.addAll(environmentVariablesReadDirectly(text));
                }
            }
        }
        for (String property : properties) {
            String upper = property.toUpperCase().replace('.', '_');
            names.add(upper.replace('-', '_'));   // the form the README and application.yml files use
            names.add(upper.replace("-", ""));    // Spring Boot's canonical form
        }
        return names;
    }

    /**
     * Variables a class reads from the process environment itself ({@code System.getenv()}), not through Spring:
     * {@code getenv("NAME")} and its {@code String} constants that name one ({@code INSTANCE_ID_VARIABLE =
     * "CONNECTORS_INSTANCE_ID"} in config-core's GroupMembership).
     */
    private static Set<String> environmentVariablesReadDirectly(String javaSource) {
        Set<String> names = new HashSet<>();
        if (!javaSource.contains("getenv(")) {
            return names;
        }
        Matcher m = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)|static final String \\w+ = \"([A-Z][A-Z0-9_]*)\";")
                .matcher(javaSource);
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return names;
    }

    /** prefix.component-name for each component of a {@code @ConfigurationProperties("prefix") record}. */
    private static Set<String> configurationProperties(String javaSource) {
        Matcher m = Pattern.compile("@ConfigurationProperties\\(\"([^\"]+)\"\\)\\s*public\\s+record\\s+\\w+\\((.*?)\\)\\s*(\\{|implements)",
                Pattern.DOTALL).matcher(javaSource);
        Set<String> properties = new HashSet<>();
        if (m.find()) {
            String components = m.group(2).replaceAll("@\\w+(\\([^)]*\\))?", "").replaceAll("<[^<>]*>", "");
            for (String component : components.split(",")) {
                String[] words = component.trim().split("\\s+");
                String kebab = words[words.length - 1].replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
                properties.add(m.group(1) + "." + kebab);
            }
        }
        return properties;
    }

    private static void flattenKeys(String prefix, Map<String, Object> yaml, Set<String> into) {
        for (Map.Entry<String, Object> entry : yaml.entrySet()) {
            String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            into.add(key);
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flattenKeys(key, map(nested), into);
            }
        }
    }

    private static Map<String, Object> applicationYml(String service) throws IOException {
        return load(REPO.resolve(service + "/src/main/resources/application.yml")).get(0);
    }

    private static Set<String> secretKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(K8S.resolve("secrets.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                keys.add(line.substring(0, line.indexOf('=')));
            }
        }
        return keys;
    }

    private boolean pdbSelecting(String name) {
        return Stream.concat(base.stream(), registryComponent.stream())
                .filter(d -> d.get("kind").equals("PodDisruptionBudget"))
                .anyMatch(d -> name.equals(get(d, "spec", "selector", "matchLabels", "app.kubernetes.io/name")));
    }

    private Integer serviceFor(String name) {
        Map<String, Object> service = Stream.concat(base.stream(), registryComponent.stream())
                .filter(d -> d.get("kind").equals("Service") && name.equals(get(d, "spec", "selector",
                        "app.kubernetes.io/name"))).findFirst().orElseThrow();
        Map<String, Object> port = map(((List<?>) get(service, "spec", "ports")).get(0));
        assertThat(port.get("targetPort")).isEqualTo("http");
        return (Integer) port.get("port");
    }

    private static int containerPort(Map<String, Object> container) {
        Map<String, Object> port = map(((List<?>) container.get("ports")).get(0));
        assertThat(port.get("name")).isEqualTo("http");
        return (Integer) port.get("containerPort");
    }

    private static List<Map<String, Object>> workloads(List<Map<String, Object>> docs) {
        return new ArrayList<>(docs.stream().filter(d -> List.of("Deployment", "StatefulSet").contains(d.get("kind")))
                .toList());
    }

    private static Map<String, Object> appContainer(Map<String, Object> workload) {
        List<?> containers = (List<?>) get(workload, "spec", "template", "spec", "containers");
        return containers.stream().map(DeploymentManifestsTest::map).filter(c -> c.get("name").equals("app"))
                .findFirst().orElseThrow(() -> new AssertionError(name(workload) + " has no container 'app'"));
    }

    private static List<Map<String, Object>> envList(Map<String, Object> container) {
        return ((List<?>) container.getOrDefault("env", List.of())).stream().map(DeploymentManifestsTest::map)
                .toList();
    }

    private static Map<String, String> envValues(Map<String, Object> container) {
        Map<String, String> values = new LinkedHashMap<>();
        envList(container).forEach(e -> values.put((String) e.get("name"), (String) e.get("value")));
        return values;
    }

    private static List<Map<String, Object>> triggers(Map<String, Object> scaledObject) {
        return ((List<?>) get(scaledObject, "spec", "triggers")).stream()
                .map(t -> map(map(t).get("metadata"))).toList();
    }

    /** The one document of this kind (null: a Deployment or StatefulSet) and name. */
    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = docs.stream()
                .filter(d -> kind == null ? List.of("Deployment", "StatefulSet").contains(d.get("kind"))
                        : kind.equals(d.get("kind")))
                .filter(d -> name.equals(name(d))).toList();
        assertThat(found).as((kind == null ? "workload" : kind) + " " + name).hasSize(1);
        return found.get(0);
    }

    private static String name(Map<String, Object> doc) {
        return (String) get(doc, "metadata", "name");
    }

    private static int mebibytes(Object quantity) {
        String q = String.valueOf(quantity);
        return q.endsWith("Gi") ? Integer.parseInt(q.replace("Gi", "")) * 1024 : Integer.parseInt(q.replace("Mi", ""));
    }

    private static List<Map<String, Object>> loadKustomization(Path dir) {
        try {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (String resource : stringList(load(dir.resolve("kustomization.yaml")).get(0).get("resources"))) {
                docs.addAll(load(dir.resolve(resource)));
            }
            return docs;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> yamlFilesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new HashSet<>(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
        }
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) {
                    docs.add(map(doc));
                }
            }
        }
        return docs;
    }

    private static Object get(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static Map<String, String> stringMap(Object node) {
        Map<String, String> result = new HashMap<>();
        map(node).forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    private static List<String> stringList(Object node) {
        return ((List<?>) node).stream().map(String::valueOf).toList();
    }
}
