package com.messagingconnectors.e2e;

import com.messagingconnectors.testsupport.Directories;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service boot jar running as its own {@code java -jar} process, its output in target/e2e-logs/NAME.log. */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final String readinessPath;
    private final List<String> javaArgs;
    private final Map<String, String> environment;

    private ServiceProcess(String name, int port, Process process, Path log, String readinessPath,
            List<String> javaArgs, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.readinessPath = readinessPath;
        this.javaArgs = javaArgs;
        this.environment = environment;
    }

    /** Starts the same command again, on the same port, logging to LOGNAME-{@code suffix}.log; does not wait. */
    ServiceProcess restart(String suffix) throws IOException {
        String logName = log.getFileName().toString().replaceFirst("\\.log$", "") + "-" + suffix;
        return launch(name, logName, port, javaArgs, environment, readinessPath);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Starts the service's jar (path from the system property {@code e2e.jar.NAME}, set by the pom) on a free
     * port with the JDK that runs this test (the toolchain JDK, ≥ 21), passing {@code args} as Spring properties.
     */
    static ServiceProcess start(String name, List<String> args) throws IOException {
        return start(name, name, args);
    }

    /** As {@link #start(String, List)}, logging to target/e2e-logs/LOGNAME.log (e.g. for a restarted instance). */
    static ServiceProcess start(String name, String logName, List<String> args) throws IOException {
        return start(name, logName, args, Map.of());
    }

    /** As {@link #start(String, String, List)}, with these environment variables added to the process's. */
    static ServiceProcess start(String name, String logName, List<String> args, Map<String, String> environment)
            throws IOException {
        String jar = System.getProperty("e2e.jar." + name);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("jar of " + name + " not found (" + jar + "): run the e2e tests through"
                    + " Maven (./mvnw verify) after the service modules were packaged");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(classDataSharing(name, Path.of(jar)));
        command.add("--server.port=" + port);
        command.addAll(args);
        return launch(name, logName, port, command, environment, "/actuator/health/readiness");
    }

    /**
     * {@code -jar} for the service's jar with class-data sharing, as {@code ./local-stack} runs it: the JVM maps the
     * classes the service loaded last time from an archive instead of loading and verifying them again. This suite
     * starts about forty services, up to eight at once on two cores, and most of each start is class loading. CDS
     * cannot archive classes from a Boot jar's nested jars, so each service runs from its jar extracted under
     * target/app (once per build); the JVM writes the archive when the service first stops cleanly and checks it
     * against the jars at every start (a stale, missing or half-written archive is ignored and written again).
     */
    private static synchronized List<String> classDataSharing(String name, Path bootJar) throws IOException {
        Path apps = Path.of("target", "app").toAbsolutePath();
        Path extracted = apps.resolve(name).resolve(bootJar.getFileName());
        if (!Files.isRegularFile(extracted)
                || Files.getLastModifiedTime(extracted).compareTo(Files.getLastModifiedTime(bootJar)) < 0) {
            extract(bootJar, apps.resolve(name));
        }
        return List.of("-XX:SharedArchiveFile=" + apps.resolve(name + ".jsa"), "-XX:+AutoCreateSharedArchive",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", extracted.toString());
    }

    /** Spring Boot's own layout for CDS: the application jar beside its libraries (into a new directory first). */
    private static void extract(Path bootJar, Path destination) throws IOException {
        Path fresh = destination.resolveSibling(destination.getFileName() + ".new");
        Directories.deleteQuietly(fresh);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process extraction = new ProcessBuilder(java, "-Djarmode=tools", "-jar", bootJar.toString(), "extract",
                "--destination", fresh.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!extraction.waitFor(2, TimeUnit.MINUTES) || extraction.exitValue() != 0) {
                extraction.destroyForcibly();
                throw new IOException("could not extract " + bootJar + " for class-data sharing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + bootJar, e);
        }
        Directories.deleteQuietly(destination);
        Files.deleteIfExists(destination.resolveSibling(destination.getFileName() + ".jsa"));
        Files.move(fresh, destination);
    }

    /**
     * Runs {@code mainClass} from this JVM's classpath (e.g. the schema registry's server) as its own process with
     * {@code --port <free port>} and {@code args}; ready once {@code GET readinessPath} answers 200.
     */
    static ServiceProcess startMain(String name, String mainClass, List<String> args, Map<String, String> environment,
            String readinessPath) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(childLogging(), "-cp", System.getProperty("java.class.path"),
                mainClass, "--port", Integer.toString(port)));
        command.addAll(args);
        return launch(name, name, port, command, environment, readinessPath);
    }

    /** The JVM option that gives a process started from this classpath quiet Logback logging. */
    static String childLogging() {
        return "-Dlogback.configurationFile=" + ServiceProcess.class.getResource("/e2e-child-logback.xml");
    }

    private static ServiceProcess launch(String name, String logName, int port, List<String> javaArgs,
            Map<String, String> environment, String readinessPath) throws IOException {
        Path logDir = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(logName + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                // small and quick to start: three services share two cores with the broker
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(javaArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // no orphaned services if the test JVM dies before @AfterAll
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-shutdown"));
        return new ServiceProcess(name, port, process, log, readinessPath, List.copyOf(javaArgs),
                Map.copyOf(environment));
    }

    /** Waits until the readiness probe answers 200; fails at once, pointing at the log, if the process died. */
    ServiceProcess awaitReady(Duration timeout) {
        URI readiness = url(readinessPath);
        await(name + " ready at " + readiness + " (log: " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + "; see " + log);
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                });
        return this;
    }

    /** SIGKILL: the process gets no chance to finish anything (a crash, as far as Kafka can tell). */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The file the process writes its output to. */
    Path log() {
        return log;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
