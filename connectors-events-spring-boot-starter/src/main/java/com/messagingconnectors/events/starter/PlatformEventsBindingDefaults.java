package com.messagingconnectors.events.starter;

import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The {@value PlatformEvents#BINDING} binding as the contract wants it, added as defaults (lowest precedence: an
 * application's own property wins): destination {@code platform.events}; native encoding with the project's
 * Confluent-wire-format {@link AvroSerializer} (schema registry: {@code schema.registry.url}) and a String key
 * serializer; acks=all, idempotent producer, synchronous sends (publish returns after the broker's acknowledgement).
 * Kafka client security comes from the {@code KAFKA_*} environment like every client of the system
 * ({@link KafkaClients}), registry credentials from {@code SCHEMA_REGISTRY_*} or the binding's configuration.
 * So an application sets two lines: {@code spring.cloud.stream.kafka.binder.brokers} and {@code schema.registry.url}.
 */
public class PlatformEventsBindingDefaults implements EnvironmentPostProcessor {
    static final String SOURCE = "connectorsPlatformEventsDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String binding = "spring.cloud.stream.bindings." + PlatformEvents.BINDING + ".";
        String kafka = "spring.cloud.stream.kafka.bindings." + PlatformEvents.BINDING + ".producer.";
        Map<String, Object> defaults = new LinkedHashMap<>();
        // declares the binding; note that the Kafka binder still connects at the first publish, not at start (a
        // service with wrong Kafka credentials starts and fails its first publish: PublishingSaslIT)
        defaults.put("spring.cloud.stream.output-bindings", "platformEvents");
        defaults.put(binding + "destination", Topics.PLATFORM_EVENTS);
        defaults.put(binding + "producer.use-native-encoding", "true");
        defaults.put(kafka + "sync", "true");
        defaults.put(kafka + "configuration.key.serializer", StringSerializer.class.getName());
        defaults.put(kafka + "configuration.value.serializer", AvroSerializer.class.getName());
        defaults.put(kafka + "configuration.acks", "all");
        defaults.put(kafka + "configuration.enable.idempotence", "true");
        defaults.put(kafka + "configuration.schema.registry.url", "${schema.registry.url}");
        // the topic is created by the platform's deployment, with its partition count; never by a producer
        defaults.put("spring.cloud.stream.kafka.binder.auto-create-topics", "false");
        KafkaClients.config("").forEach((setting, value) -> {
            if (!setting.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                defaults.put("spring.cloud.stream.kafka.binder.configuration." + setting, value);
            }
        });
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
