package com.messagingconnectors.e2e;

import com.messagingconnectors.testsupport.Directories;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A single-node KRaft broker of its own (a {@code kafka.Kafka} process from this JVM's classpath, like
 * {@code ./local-stack} starts one) whose only client listener requires SASL/SCRAM-SHA-512 and whose authorizer denies
 * whatever no ACL allows. SCRAM users are created when the storage is formatted (StorageTool {@code --add-scram}):
 * {@value #ADMIN} (the broker's own principal and super user) and the ones the test asks for. The controller listener
 * uses SASL/PLAIN with the same admin credentials (KRaft controllers cannot use SCRAM). Loopback only.
 */
final class SaslScramBroker implements AutoCloseable {
    static final String ADMIN = "admin";
    private static final String SCRAM = "SCRAM-SHA-512";

    private final Path directory;
    private final Process process;
    private final Path log;
    private final int port;
    private final String adminPassword;

    private SaslScramBroker(Path directory, Process process, Path log, int port, String adminPassword) {
        this.directory = directory;
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    /** Formats a fresh log directory with these SCRAM users (name → password) and starts the broker; awaits it. */
    static SaslScramBroker start(Map<String, String> users, Duration timeout) throws Exception {
        Path directory = Files.createTempDirectory("sasl-kafka-");
        String adminPassword = "admin-" + UUID.randomUUID();
        int port = ServiceProcess.freePort();
        int controllerPort = ServiceProcess.freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(config, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=SASL_PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=SASL_PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
                inter.broker.listener.name=SASL_PLAINTEXT
                sasl.enabled.mechanisms=%4$s
                sasl.mechanism.inter.broker.protocol=%4$s
                listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=%5$s
                sasl.mechanism.controller.protocol=PLAIN
                listener.name.controller.sasl.enabled.mechanisms=PLAIN
                listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule \
                required username="%6$s" password="%7$s" user_%6$s="%7$s";
                authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
                super.users=User:%6$s
                allow.everyone.if.no.acl.found=false
                log.dirs=%3$s
                num.partitions=1
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, directory.resolve("data"), SCRAM,
                scramJaas(ADMIN, adminPassword), ADMIN, adminPassword));

        Path logDir = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
        Files.createDirectories(logDir);
        Path log = logDir.resolve("sasl-kafka.log");
        List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", SCRAM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
        users.forEach((name, password) -> format.addAll(List.of("--add-scram",
                SCRAM + "=[name=" + name + ",password=" + password + "]")));
        Process formatting = java(directory, format).redirectOutput(log.toFile()).start();
        if (!formatting.waitFor(2, TimeUnit.MINUTES) || formatting.exitValue() != 0) {
            formatting.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed; see " + log);
        }

        Process broker = java(directory, List.of("kafka.Kafka", config.toString()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly, "sasl-kafka-shutdown"));
        SaslScramBroker started = new SaslScramBroker(directory, broker, log, port, adminPassword);
        try {
            started.awaitReady(timeout);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** {@code java -cp <this JVM's classpath> ARGS} in {@code directory}. */
    private static ProcessBuilder java(Path directory, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", ServiceProcess.childLogging(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(args);
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    }

    private void awaitReady(Duration timeout) {
        await("SASL broker at 127.0.0.1:" + port + " (log: " + log + ")").atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("kafka exited with " + process.exitValue() + "; see " + log);
                    }
                    // an admin client of a port nobody listens on yet re-bootstraps in a tight, loud loop
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                    try (Admin admin = Admin.create(clientProperties(ADMIN, adminPassword))) {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                    }
                });
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client properties for the SASL listener as {@code user} with {@code password}. */
    Properties clientProperties(String user, String password) {
        Properties properties = new Properties();
        properties.putAll(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        return properties;
    }

    /** An admin client of the super user. */
    Admin admin() {
        return Admin.create(clientProperties(ADMIN, adminPassword));
    }

    /** The environment a service needs to reach this broker as {@code user}: the documented KAFKA_* variables. */
    static Map<String, String> clientEnvironment(String user, String password) {
        return Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", SCRAM,
                "KAFKA_SASL_JAAS_CONFIG", scramJaas(user, password));
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Directories.deleteQuietly(directory);
    }
}
