package com.messagingconnectors.config.observe;

import com.messagingconnectors.config.store.ConfigView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * Every service that holds the live connectors.config view stops being live when following it stops on an error:
 * the view would never change again (revoked keys stay valid, new routes never apply), so Kubernetes must restart
 * the process. Publishing {@link LivenessState#BROKEN} turns {@code /actuator/health/liveness} DOWN with no
 * per-service configuration.
 *
 * <p>Also exports liveness as a metric, {@code connectors_liveness} (1 live, 0 not), so an alert can say which
 * process is stuck before (or instead of) Kubernetes restarting it.
 */
@AutoConfiguration
@ConditionalOnClass(AvailabilityChangeEvent.class)
public class LivenessAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(LivenessAutoConfiguration.class);

    @Bean
    SmartInitializingSingleton configFollowerLiveness(ObjectProvider<ConfigView> views,
                                                      ApplicationEventPublisher events) {
        return () -> views.forEach(view -> view.whenStopped(() -> {
            log.error("following connectors.config stopped: liveness is now BROKEN, this process needs a restart");
            AvailabilityChangeEvent.publish(events, view, LivenessState.BROKEN);
        }));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthEndpoint.class)
    static class LivenessMetric {
        @Bean
        MeterBinder livenessGauge(ObjectProvider<HealthEndpoint> health) {
            return registry -> Gauge.builder("connectors.liveness", health, LivenessMetric::live)
                    .description("1 while the liveness probe is UP, 0 once it is not").register(registry);
        }

        private static double live(ObjectProvider<HealthEndpoint> health) {
            HealthEndpoint endpoint = health.getIfAvailable();
            HealthDescriptor liveness = endpoint == null ? null : endpoint.healthForPath("liveness");
            if (liveness == null) {
                return Double.NaN; // no liveness group (probes off)
            }
            return Status.UP.equals(liveness.getStatus()) ? 1 : 0;
        }
    }
}
