package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.replay.DeliveredCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A sender application is a Boot app + delivery-core + one {@link NotificationChannel} bean: this starts one
 * {@link DeliveryEngine} per channel bean. Kafka: {@code spring.kafka.bootstrap-servers}; registry:
 * {@code connectors.schema-registry.url}; tuning: {@link DeliveryProperties} ({@code connectors.delivery.*}).
 * A {@link Clock} bean, when present, is the engine's clock (tests). {@code connectors.delivery.enabled=false} turns
 * delivery off (e.g. a test of something else in a sender application).
 */
@AutoConfiguration
@ConditionalOnBean(NotificationChannel.class)
@ConditionalOnProperty(name = "connectors.delivery.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DeliveryProperties.class)
public class DeliveryAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ConfigView connectorsConfigView(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            DeliveryProperties properties) {
        return new ConfigView(bootstrapServers, properties.configTopic()).start();
    }

    @Bean
    public DeliveryEngines deliveryEngines(List<NotificationChannel> channels, DeliveryProperties properties,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${connectors.schema-registry.url}") String schemaRegistryUrl, ConfigView connectorsConfigView,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock, ApplicationEventPublisher events) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        Clock engineClock = clock.getIfAvailable(Clock::systemUTC);
        return new DeliveryEngines(channels.stream().map(channel -> new DeliveryEngine(channel, properties,
                bootstrapServers, schemaRegistryUrl, connectorsConfigView, registry, engineClock)
                // a sender whose loop died delivers nothing: liveness fails and Kubernetes restarts it
                .onDeath(cause -> AvailabilityChangeEvent.publish(events, channel, LivenessState.BROKEN)))
                .toList());
    }

    /**
     * {@code delivery} in /actuator/health (and in the senders' liveness group): DOWN when an engine died.
     * {@code deliveryReadiness} (in the senders' readiness group): DOWN until every engine loaded its state and holds
     * its partitions, and again once it stopped.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class DeliveryHealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "deliveryHealthIndicator")
        DeliveryHealth deliveryHealthIndicator(DeliveryEngines engines) {
            return new DeliveryHealth(engines);
        }

        /** Named in each sender's {@code management.endpoint.health.group.readiness.include}. */
        @Bean
        HealthIndicator deliveryReadiness(DeliveryEngines engines) {
            return () -> {
                Health.Builder health = Health.up();
                for (DeliveryEngine engine : engines.engines()) {
                    String notReady = engine.readiness().notReadyBecause();
                    if (notReady != null) {
                        health = Health.down();
                    }
                    health.withDetail(engine.channelName(),
                            notReady == null ? engine.readiness().partitionCount() + " partitions" : notReady);
                }
                return health.build();
            };
        }
    }

    /** The replay API skips notifications this sender already delivered. */
    @Bean
    @ConditionalOnMissingBean
    public DeliveredCheck deliveredCheck(DeliveryEngines engines) {
        return notificationId -> engines.engines().stream()
                .anyMatch(engine -> engine.deliveredLog().contains(notificationId));
    }

    /** Starts the engines with the application and stops them gracefully before the rest shuts down. */
    public record DeliveryEngines(List<DeliveryEngine> engines) implements SmartLifecycle {
        @Override
        public void start() {
            engines.forEach(DeliveryEngine::start);
        }

        @Override
        public void stop() {
            engines.forEach(DeliveryEngine::close);
        }

        @Override
        public boolean isRunning() {
            return engines.stream().anyMatch(DeliveryEngine::isRunning);
        }

        public DeliveryEngine engine(String channel) {
            return engines.stream().filter(e -> e.channelName().equals(channel)).findFirst().orElseThrow();
        }
    }
}
