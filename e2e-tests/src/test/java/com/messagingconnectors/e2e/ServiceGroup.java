package com.messagingconnectors.e2e;

import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The services one test class runs: started with shared arguments, awaited together, stopped together. */
final class ServiceGroup implements AutoCloseable {
    private final List<String> common;
    private final Map<String, String> environment;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<AutoCloseable> alsoClosed = new ArrayList<>();

    /** @param common arguments every service gets (broker, registry, keys) */
    ServiceGroup(List<String> common) {
        this(common, Map.of());
    }

    /** @param environment variables every service gets on top of this JVM's (e.g. Kafka client security) */
    ServiceGroup(List<String> common, Map<String, String> environment) {
        this.common = List.copyOf(common);
        this.environment = Map.copyOf(environment);
    }

    /** Services on the tests' broker and schema registry, with this admin API key and secrets key. */
    static ServiceGroup onTestInfrastructure(String adminApiKey, String secretsKeys) {
        String kafka = TestInfrastructure.bootstrapServers();
        return new ServiceGroup(List.of("--spring.kafka.bootstrap-servers=" + kafka,
                "--schema.registry.url=" + TestInfrastructure.schemaRegistryUrl(),
                "--connectors.kafka.bootstrap-servers=" + kafka,
                "--connectors.security.admin-api-key=" + adminApiKey, "--connectors.secrets.keys=" + secretsKeys));
    }

    /** Closes {@code resource} (e.g. the sandbox the services talk to) after the services. */
    ServiceGroup alsoClosing(AutoCloseable resource) {
        alsoClosed.add(resource);
        return this;
    }

    /** Starts {@code name} with the common arguments and {@code more}; does not wait for it. */
    ServiceProcess start(String name, List<String> more) throws Exception {
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
    public void close() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        for (AutoCloseable resource : alsoClosed) {
            resource.close();
        }
    }
}
