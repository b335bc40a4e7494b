package com.messagingconnectors.ingest;

import com.messagingconnectors.schemas.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health contributor "kafka", part of the readiness group only (never liveness: a broker outage must not get the
 * service restarted). Asks the cluster for its nodes with a short timeout and remembers the answer for a few
 * seconds, so frequent probes stay cheap. Not ready either until the publisher has prepared once (the events
 * topic's partitions and the schema id fetched, off the probe's thread): "ready" means the next event is published
 * without waiting for either.
 */
@Component("kafka")
public class KafkaReadiness implements HealthIndicator, DisposableBean {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REMEMBER = Duration.ofSeconds(5);

    private final Admin admin;
    private final EventPublisher publisher;
    private final ExecutorService preparing = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("ingest-prepare").factory());
    private volatile CompletableFuture<Void> prepared;
    private volatile Health last;
    private volatile Instant lastCheckedAt = Instant.MIN;

    public KafkaReadiness(IngestProperties properties, EventPublisher publisher) {
        this.publisher = publisher;
        Map<String, Object> config = KafkaClients.config(properties.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ingest-service-health");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        this.admin = Admin.create(config);
    }

    @Override
    public Health health() {
        Instant now = Instant.now();
        if (last == null || lastCheckedAt.plus(REMEMBER).isBefore(now)) {
            last = check();
            lastCheckedAt = now;
        }
        if (last.getStatus().equals(Status.UP) && !publisherPrepared()) {
            return Health.down().withDetails(last.getDetails())
                    .withDetail("error", "fetching the events topic's partitions and the event schema").build();
        }
        return last;
    }

    private Health check() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                    .nodes().get(CHECK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("nodes", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.down().withDetail("error", "Kafka brokers did not answer within " + CHECK_TIMEOUT.toMillis()
                    + " ms").build();
        }
    }

    /** Starts preparing (again, after a failure) and tells whether it has succeeded. */
    private boolean publisherPrepared() {
        CompletableFuture<Void> attempt = prepared;
        if (attempt == null || attempt.isCompletedExceptionally()) {
            prepared = attempt = CompletableFuture.runAsync(publisher::prepare, preparing);
        }
        return attempt.isDone() && !attempt.isCompletedExceptionally();
    }

    @Override
    public void destroy() {
        preparing.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
