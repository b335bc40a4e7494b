package com.messagingconnectors.delivery;

import com.messagingconnectors.delivery.alerts.AlertMessages;
import java.net.URI;
import java.util.Optional;

/**
 * A channel: turns one notification into its platform's message and attempts to deliver it, once. Each sender module
 * has one, a Spring bean found by type; the kind itself (topic, channel record, credential keys, API fields) is
 * described once in config-core ({@code config.kinds}) and registered by one line in {@code IntegrationKind}. They
 * never throw for an answer of the destination,
 * never sleep and never retry: they classify, and delivery-core decides what happens next (retry on schedule,
 * dead-letter, report status).
 */
public interface NotificationChannel {
    /** The kind's id ({@code IntegrationKind}): the channel consumes {@code notifications.<name>}. */
    String name();

    /** One attempt. May block up to the channel's own request timeout (it runs on a virtual thread). */
    DeliveryOutcome deliver(DeliveryRequest request);

    /** Per-destination rate limit (e.g. Slack: about one message per second per channel); none by default. */
    default RateLimit rateLimit() {
        return RateLimit.NONE;
    }

    /**
     * True for a chat channel that updates or answers an alert's message when the alert resolves: its engine then
     * loads {@code connectors.alert-messages} before it is ready and hands it over through
     * {@link #useAlertMessages} before the first delivery.
     */
    default boolean remembersAlertMessages() {
        return false;
    }

    /** The engine's store of alert messages (only called when {@link #remembersAlertMessages()}). */
    default void useAlertMessages(AlertMessages alertMessages) {
    }

    /**
     * What the engine's warm-up rehearses before the sender says it is ready, so that a new JVM has compiled the
     * delivery code before the first real notification: a copy of this channel whose HTTP client reaches nothing but
     * {@code sink} (a loopback server of the engine's own that answers {@code 200 {"ok":true}} to every POST), and one
     * request addressed to it. Empty when the channel has none: its first deliveries then run cold.
     */
    default Optional<Rehearsal> rehearsal(URI sink) {
        return Optional.empty();
    }
}
