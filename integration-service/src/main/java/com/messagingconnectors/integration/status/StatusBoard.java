package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.TopicFollower;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Folds what senders report on connectors.status into each integration's state: connected / disconnected /
 * unhealthy, the last error and its time, the time of the last successful delivery, and how many events its mutes
 * held back (the router's counts, summed: the topic keeps every report for its retention). Every instance reads the
 * whole topic (no consumer group), like the config view.
 */
@Component
public class StatusBoard implements DisposableBean {
    private final Map<String, StatusView> byIntegration = new ConcurrentHashMap<>();
    private final EndpointDisabling endpointDisabling;
    private final TopicFollower follower;

    StatusBoard(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                @Value("${connectors.status.topic}") String topic, EndpointDisabling endpointDisabling) {
        this.endpointDisabling = endpointDisabling;
        this.follower = new TopicFollower(bootstrap, topic, this::onRecord, () -> { }).start();
    }

    /** The integration's status; "connected" until a sender says otherwise. */
    public StatusView status(String integrationId) {
        return byIntegration.getOrDefault(integrationId, StatusView.INITIAL);
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        StatusReport report;
        try {
            report = ConfigCodec.decode(record.value(), StatusReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apply(report);
        endpointDisabling.onReport(report);
    }

    void apply(StatusReport report) {
        byIntegration.compute(report.integrationId(), (id, old) -> fold(old == null ? StatusView.INITIAL : old, report));
    }

    /** The status after one more report. "delivered" and "muted" say nothing about health: the state stays. */
    static StatusView fold(StatusView was, StatusReport report) {
        if (StatusReport.DELIVERED.equals(report.state())) {
            return new StatusView(was.state(), was.lastError(), was.lastErrorAt(),
                    latest(was.lastDeliveredAt(), report.at()), was.mutedEvents(), was.lastMutedAt());
        }
        if (StatusReport.MUTED.equals(report.state())) {
            long muted = report.count() == null ? 1 : Math.max(0, report.count());
            return new StatusView(was.state(), was.lastError(), was.lastErrorAt(), was.lastDeliveredAt(),
                    was.mutedEvents() + muted, latest(was.lastMutedAt(), report.at()));
        }
        boolean problem = !StatusReport.CONNECTED.equals(report.state());
        return new StatusView(report.state(), problem ? report.message() : was.lastError(),
                problem ? report.at() : was.lastErrorAt(), was.lastDeliveredAt(), was.mutedEvents(),
                was.lastMutedAt());
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    @Override
    public void destroy() {
        follower.close();
    }
}
