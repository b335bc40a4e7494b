package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The services one test class runs: started with shared arguments, awaited together, stopped together. Registered
 * as a test class's extension ({@code @RegisterExtension static final ServiceGroup services = ...}) it stops them
 * after the class's tests and {@code @AfterAll} methods.
 */
final class ServiceGroup implements AutoCloseable, AfterAllCallback {
    private final Supplier<List<String>> commonArgs;
    private List<String> common;
    private final Map<String, String> environment;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<AutoCloseable> alsoClosed = new ArrayList<>();

    /** @param common arguments every service gets (broker, registry, keys) */
    ServiceGroup(List<String> common) {
        this(common, Map.of());
    }

    /** @param environment variables every service gets on top of this JVM's (e.g. Kafka client security) */
    ServiceGroup(List<String> common, Map<String, String> environment) {
        this(fixed(common), environment);
    }

    private ServiceGroup(Supplier<List<String>> common, Map<String, String> environment) {
        this.commonArgs = common;
        this.environment = Map.copyOf(environment);
    }

    private static Supplier<List<String>> fixed(List<String> common) {
        List<String> copy = List.copyOf(common);
        return () -> copy;
    }

    /**
     * Services on the tests' broker and schema registry, with this admin API key and secrets key. The test
     * infrastructure is asked for its addresses when the first service starts, not before.
     */
    static ServiceGroup onTestInfrastructure(String adminApiKey, String secretsKeys) {
        return new ServiceGroup(() -> {
            String kafka = TestInfrastructure.bootstrapServers();
            return List.of("--spring.kafka.bootstrap-servers=" + kafka,
                    "--schema.registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                    "--connectors.kafka.bootstrap-servers=" + kafka,
                    "--connectors.security.admin-api-key=" + adminApiKey, "--connectors.secrets.keys=" + secretsKeys);
        }, Map.of());
    }

    /**
     * Creates, on the tests' broker, the topics an event takes to one channel: platform.events, its dead-letter
     * topic, the channel's topic and its dead-letter topic (3 partitions each); and {@code onePartition} (e.g.
     * connectors.config) with one partition each.
     */
    static void createTopics(String channel, String... onePartition) {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS, Topics.PLATFORM_EVENTS_DLQ,
                Topics.notifications(channel), Topics.deadLetter(channel));
        TestInfrastructure.createTopics(1, onePartition);
    }

    /** Closes {@code resource} (e.g. the sandbox the services talk to) after the services. */
    ServiceGroup alsoClosing(AutoCloseable resource) {
        alsoClosed.add(resource);
        return this;
    }

    /** As {@link #alsoClosing}, for a resource made just now: returns it. */
    <T extends AutoCloseable> T closing(T resource) {
        alsoClosing(resource);
        return resource;
    }

    /** Starts {@code name} with the common arguments and {@code more}; does not wait for it. */
    ServiceProcess start(String name, List<String> more) throws Exception {
        if (common == null) {
            common = commonArgs.get();
        }
        List<String> args = new ArrayList<>(common);
        args.addAll(more);
        ServiceProcess service = ServiceProcess.start(name, name, args, environment);
        services.add(service);
        return service;
    }

    void awaitReady(Duration timeout) {
        services.forEach(service -> service.awaitReady(timeout));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        for (AutoCloseable resource : alsoClosed) {
            resource.close();
        }
    }
}
