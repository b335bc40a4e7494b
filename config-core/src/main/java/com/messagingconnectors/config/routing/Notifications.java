package com.messagingconnectors.config.routing;

import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;

import java.time.Instant;

/** Turns a routing decision into the router's output record: one notification per destination. */
public final class Notifications {
    private Notifications() {
    }

    public static Notification of(PlatformEvent event, Route route, Instant routedAt) {
        return Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), route.destinationId()))
                .setChannel(route.kind().channel())
                .setDestination(Destination.newBuilder().setDestinationId(route.destinationId())
                        .setIntegrationId(route.integrationId()).setTarget(route.channelId()).build())
                .setRoutedAt(routedAt)
                .setRuleId(route.ruleId())
                .setEvent(event)
                .setNoiseControl(route.noiseControl())
                .build();
    }
}
