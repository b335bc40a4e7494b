package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The topology as a Spring Cloud Stream function ({@code digest}, input binding {@code digest-in-0}): the Kafka
 * Streams binder builds, starts and supervises it with the configuration in application.yml (exactly-once v2).
 */
@Configuration(proxyBeanMethods = false)
class DigestConfiguration {

    @Bean
    DigestSettings digestSettings(@Value("${connectors.digest.tick:1s}") Duration tick,
                                  @Value("${connectors.digest.max-ids-per-digest:2000}") int maxIds,
                                  @Value("${connectors.digest.samples:5}") int samples) {
        return new DigestSettings(tick, maxIds, samples);
    }

    @Bean
    Consumer<KStream<byte[], byte[]>> digest(DigestSettings settings,
                                             @Value("${connectors.schema-registry.url}") String registryUrl,
                                             @Value("${spring.cloud.stream.kafka.streams.binder.applicationId}")
                                             String applicationId) {
        return input -> DigestTopology.attach(input, settings,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), applicationId);
    }
}
