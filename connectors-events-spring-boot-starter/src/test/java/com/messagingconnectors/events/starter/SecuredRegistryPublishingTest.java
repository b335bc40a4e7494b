package com.messagingconnectors.events.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.registry.SchemaRegistryServer;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.registry.RegistrySecurity;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter against a schema registry that requires basic authentication: the credentials are one property of the
 * binding (Confluent's name), and wrong ones fail the publish with a message saying what to check.
 */
class SecuredRegistryPublishingTest {
    private static final String CREDENTIALS = "reporting:" + UUID.randomUUID();
    private static SchemaRegistryServer registry;

    @SpringBootApplication
    static class App {
    }

    @BeforeAll
    static void start() {
        TestInfrastructure.createTopics(3, Topics.PLATFORM_EVENTS);
        registry = new SchemaRegistryServer(TestInfrastructure.bootstrapServers(), "127.0.0.1", 0, (short) 1,
                "_schemas_starter_secured").requireBasicAuth(CREDENTIALS).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static ConfigurableApplicationContext service(String userInfo) {
        return new SpringApplicationBuilder(App.class).web(org.springframework.boot.WebApplicationType.NONE).run(
                "--spring.cloud.stream.kafka.binder.brokers=" + TestInfrastructure.bootstrapServers(),
                "--schema.registry.url=" + registry.url(),
                "--spring.cloud.stream.kafka.bindings.platformEvents-out-0.producer.configuration.basic.auth.user.info="
                        + userInfo);
    }

    @Test
    void theRightCredentialsRegisterTheSchemaAndPublish() {
        try (ConfigurableApplicationContext service = service(CREDENTIALS)) {
            PlatformEvent sent = service.getBean(PlatformEvents.class).publish(
                    Events.generic("backup.finished", "ws_secured", "Backup finished", Map.of()));
            assertThat(sent.getEventId()).isNotBlank();
        }
        SchemaRegistryClient reader = new SchemaRegistryClient(registry.url(), Duration.ofSeconds(5),
                RegistrySecurity.basic(CREDENTIALS));
        assertThat(reader.lookup(Topics.PLATFORM_EVENTS + "-value", PlatformEvent.getClassSchema())).isPositive();
    }

    @Test
    void wrongCredentialsFailThePublishSayingWhatToCheck() {
        try (ConfigurableApplicationContext service = service("reporting:wrong-password")) {
            assertThatThrownBy(() -> service.getBean(PlatformEvents.class).publish(
                    Events.generic("backup.finished", "ws_secured", "Backup finished", Map.of())))
                    .hasStackTraceContaining("HTTP 401: the credentials were not accepted; check basic.auth.user.info")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("wrong-password"));
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
