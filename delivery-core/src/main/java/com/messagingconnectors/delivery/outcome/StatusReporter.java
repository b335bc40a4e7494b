package com.messagingconnectors.delivery.outcome;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.status.ReportThrottle;
import com.messagingconnectors.config.status.StatusReports;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;

/**
 * Tells connectors.status (JSON {@link StatusReport}, key = integration id) what deliveries say about an
 * integration: disconnected / unhealthy / endpoint disabled, "recovered" after a success following a problem, and
 * "delivered" (last successful delivery) at most once per {@code deliveredInterval} per integration.
 */
public final class StatusReporter {
    public static final String REASON_ENDPOINT_DISABLED = "endpoint_disabled";
    public static final String REASON_RECOVERED = "recovered";
    public static final String REASON_REPEATED_FAILURES = "repeated_failures";
    /** A credentials failure concerns the integration, not one channel. */
    private static final String AUTH_REASON = FailureReason.auth.name();

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ReportThrottle deliveredReports;
    private final Clock clock;
    /**
     * What is in trouble: "integrationId/channelId" for a channel's own problem (an endpoint failing, a Slack channel
     * archived), "integrationId/*" for the integration's (its credentials). A success clears the channel's own
     * trouble and the integration's; "recovered" is reported only once nothing of the integration is in trouble,
     * so one healthy channel never hides another one's problem.
     */
    private final Set<String> troubled = ConcurrentHashMap.newKeySet();

    public StatusReporter(Producer<byte[], byte[]> producer, String topic, Duration deliveredInterval, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.deliveredReports = new ReportThrottle(deliveredInterval);
        this.clock = clock;
    }

    public void delivered(String workspaceId, String integrationId, String channelId) {
        Instant now = clock.instant();
        boolean cleared = troubled.remove(integrationId + "/" + channelId) | troubled.remove(integrationId + "/*");
        if (cleared && troubled.stream().noneMatch(key -> key.startsWith(integrationId + "/"))) {
            send(new StatusReport(workspaceId, integrationId, channelId, StatusReport.CONNECTED, REASON_RECOVERED,
                    "deliveries succeed again", now));
        }
        if (deliveredReports.tryReport(integrationId, now)) {
            send(new StatusReport(workspaceId, integrationId, channelId, StatusReport.DELIVERED, "delivered",
                    "last successful delivery", now));
        }
    }

    /** A permanent failure's effect on the integration (NONE reports nothing). */
    public void effect(String workspaceId, String integrationId, String channelId, IntegrationEffect effect,
            String reason, String message) {
        String state = switch (effect) {
            case NONE -> null;
            case DISCONNECTED -> StatusReport.DISCONNECTED;
            case UNHEALTHY, ENDPOINT_DISABLED -> StatusReport.UNHEALTHY;
        };
        if (state == null) {
            return;
        }
        boolean credentials = effect == IntegrationEffect.DISCONNECTED || AUTH_REASON.equals(reason);
        troubled.add(integrationId + "/" + (credentials ? "*" : channelId));
        String why = effect == IntegrationEffect.ENDPOINT_DISABLED ? REASON_ENDPOINT_DISABLED : reason;
        send(new StatusReport(workspaceId, integrationId, channelId, state, why, message, clock.instant()));
    }

    private void send(StatusReport report) {
        StatusReports.send(producer, topic, report);
    }
}
