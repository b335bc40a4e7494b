package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.delivery.engine.DeliveryAutoConfiguration.DeliveryEngines;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code delivery} in /actuator/health: DOWN, with the reason, when an engine cannot deliver any more although
 * nobody stopped it (its poll loop died, or following its delivered log or alert messages stopped: see
 * {@link DeliveryEngine#failure()}). The liveness group includes it, so
 * Kubernetes restarts such a sender; a dying poll loop also turns the application's liveness state BROKEN at once.
 */
public class DeliveryHealth implements HealthIndicator {
    private final DeliveryEngines engines;

    public DeliveryHealth(DeliveryEngines engines) {
        this.engines = engines;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (DeliveryEngine engine : engines.engines()) {
            Throwable failure = engine.failure();
            if (failure != null) {
                health.down().withDetail(engine.channelName(), "stopped: " + failure);
            } else {
                health.withDetail(engine.channelName(), engine.isRunning() ? "delivering" : "not started");
            }
        }
        return health.build();
    }
}
