package com.messagingconnectors.delivery.lanes;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.observe.Traces;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.intake.Taken;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import com.messagingconnectors.delivery.outcome.DeliveredLog;
import com.messagingconnectors.delivery.outcome.OutcomeWriter;
import com.messagingconnectors.delivery.outcome.StatusReporter;
import com.messagingconnectors.schemas.avro.Notification;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt, as a lane runs it: skip what was already delivered, dead-letter what has no enabled destination any
 * more, wait for the destination's rate limit, call the channel once, tell the lane how the destination did, and hand
 * the outcome to the {@link OutcomeWriter}. The call and what follows it are one hop of the event's trace
 * ({@link Traces#hop}, child of the record's {@code traceparent}), and their log lines carry the trace, event,
 * notification, workspace and destination ids.
 */
public final class Attempt implements Lanes.Attempts {
    private static final Logger log = LoggerFactory.getLogger(Attempt.class);

    private final NotificationChannel channel;
    private final ConfigView config;
    private final Lanes lanes;
    private final DeliveredLog deliveredLog;
    private final OutcomeWriter outcomes;
    private final StatusReporter status;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Duration circuitOpenFor;
    private final Duration disableAfter;

    public Attempt(NotificationChannel channel, ConfigView config, Lanes lanes, DeliveredLog deliveredLog,
            OutcomeWriter outcomes, StatusReporter status, DeliveryMetrics metrics, Clock clock,
            Duration circuitOpenFor, Duration disableAfter) {
        this.channel = channel;
        this.config = config;
        this.lanes = lanes;
        this.deliveredLog = deliveredLog;
        this.outcomes = outcomes;
        this.status = status;
        this.metrics = metrics;
        this.clock = clock;
        this.circuitOpenFor = circuitOpenFor;
        this.disableAfter = disableAfter;
    }

    /** The trace hop of one attempt, with the ids its log lines carry. */
    public static Traces.Hop hop(String channel, Headers headers, Notification notification, String destinationId) {
        return Traces.hop("deliver " + channel, headers).with("notification.id", notification.getNotificationId())
                .with("event.id", notification.getEvent().getEventId())
                .with("workspace.id", notification.getEvent().getWorkspaceId()).with("destination.id", destinationId);
    }

    @Override
    public void attempt(Taken work) {
        Notification notification = work.notification();
        String notificationId = notification.getNotificationId();
        if (deliveredLog.contains(notificationId)) {
            metrics.skipped();
            log.info("skipped notificationId={} eventId={} destination={}: already delivered", notificationId,
                    notification.getEvent().getEventId(), work.destinationId());
            work.done();
            return;
        }
        String workspaceId = notification.getEvent().getWorkspaceId();
        String integrationId = notification.getDestination().getIntegrationId();
        String target = notification.getDestination().getTarget();
        Optional<IntegrationConfig> integration = config.integration(workspaceId, integrationId);
        Optional<ChannelConfig> destination = integration.flatMap(i -> i.channel(target));
        if (destination.isEmpty()) {
            outcomes.refused(work, FailureReason.destination_missing.name(), "destination " + work.destinationId()
                    + " is not configured (integration or channel deleted)", true);
            return;
        }
        if (!integration.get().enabled() || !destination.get().enabled()) {
            String reason = !integration.get().enabled() ? "integration_disabled" : "channel_disabled";
            outcomes.refused(work, reason, "destination " + work.destinationId() + ": " + reason.replace('_', ' '),
                    false);
            return;
        }
        lanes.awaitPermit(work.destinationId());
        DeliveryRequest request = new DeliveryRequest(notification, integration.get(), destination.get(),
                work.state().attempt(), work.manualReplay());
        try (Traces.Hop hop = hop(channel.name(), work.record().headers(), notification, work.destinationId())) {
            DeliveryOutcome outcome;
            try {
                outcome = channel.deliver(request);
            } catch (RuntimeException e) {
                outcome = new DeliveryOutcome.Retryable(FailureReason.connection, "channel failed: " + e, null, 0);
            }
            switch (outcome) {
                case DeliveryOutcome.Delivered delivered -> {
                    lanes.succeeded(work.destinationId());
                    outcomes.delivered(work);
                }
                case DeliveryOutcome.Retryable retry -> {
                    Lanes.Failure failure = lanes.failed(work.destinationId(), work.state().firstAttempt() == null
                            ? clock.instant() : work.state().firstAttempt());
                    if (failure.circuitOpened()) {
                        status.effect(workspaceId, integrationId, target, IntegrationEffect.UNHEALTHY,
                                StatusReporter.REASON_REPEATED_FAILURES, "deliveries to " + work.destinationId()
                                        + " keep failing; paused for " + circuitOpenFor);
                    }
                    if (failure.longFailing()) {
                        status.effect(workspaceId, integrationId, target, IntegrationEffect.ENDPOINT_DISABLED,
                                StatusReporter.REASON_ENDPOINT_DISABLED, "every attempt failed for " + disableAfter);
                    }
                    outcomes.retry(work, retry);
                }
                case DeliveryOutcome.Permanent permanent -> outcomes.permanent(work, permanent);
            }
        }
    }
}
