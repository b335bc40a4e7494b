package com.messagingconnectors.e2e;

import com.messagingconnectors.testsupport.Directories;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) as its own process, from the Kafka jars on the
 * test classpath, like ./local-stack runs it: so a test can SIGKILL it and start it again on the same data directory
 * and port. Output in target/e2e-logs/NAME.log.
 */
final class BrokerProcess implements AutoCloseable {
    private final String name;
    private final Path dataDir;
    private final Path config;
    private final int port;
    private Process process;
    private int starts;

    private BrokerProcess(String name, Path dataDir, Path config, int port) {
        this.name = name;
        this.dataDir = dataDir;
        this.config = config;
        this.port = port;
    }

    /** Formats a fresh data directory and starts the broker; returns once it answers. */
    static BrokerProcess start(String name) throws Exception {
        Path dir = Files.createTempDirectory(name);
        int port = ServiceProcess.freePort();
        int controllerPort = ServiceProcess.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%s
                num.partitions=3
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(controllerPort, port, controllerPort, port, dir.resolve("data")));
        BrokerProcess broker = new BrokerProcess(name, dir.resolve("data"), config, port);
        Process format = new ProcessBuilder(java("kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(broker.logFile("format").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka storage format failed; see " + broker.logFile("format"));
        }
        broker.restart();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no controlled shutdown, no flush; the next start recovers from the log as after a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the broker (again) on the same data directory and port; returns once it answers. */
    void restart() throws IOException {
        starts++;
        process = new ProcessBuilder(java("kafka.Kafka", config.toString())).redirectErrorStream(true)
                .redirectOutput(logFile(starts == 1 ? null : Integer.toString(starts)).toFile()).start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, name + "-shutdown"));
        await(name + " answering on " + bootstrapServers()).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(name + " exited; see " + logFile(null));
                    }
                    try (Admin admin = admin()) {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                    } catch (Exception notYet) {
                        return false;
                    }
                });
    }

    void createTopics(int partitions, String... topics) throws Exception {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
        }
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }


    private Path logFile(String suffix) throws IOException {
        Path logDir = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
        Files.createDirectories(logDir);
        return logDir.resolve(name + (suffix == null ? "" : "-" + suffix) + ".log");
    }

    private static List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", ServiceProcess.childLogging(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Directories.deleteQuietly(dataDir.getParent());
    }
}
