package com.messagingconnectors.router;

import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns an event into the notification for its destination, or nothing when no destination wants it. */
public class EventRouter {
    private final StaticRouteProperties route;
    private final Pattern routedTypes;
    private final Clock clock;

    public EventRouter(StaticRouteProperties route, Clock clock) {
        this.route = route;
        this.routedTypes = globToRegex(route.typePattern());
        this.clock = clock;
    }

    public Optional<Notification> route(PlatformEvent event) {
        if (!routedTypes.matcher(event.getType()).matches()) {
            return Optional.empty();
        }
        return Optional.of(Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), route.destinationId()))
                .setChannel(route.channel())
                .setDestination(Destination.newBuilder()
                        .setDestinationId(route.destinationId())
                        .setIntegrationId(route.integrationId())
                        .setTarget(route.target())
                        .build())
                .setRoutedAt(clock.instant())
                .setRuleId(null)
                .setEvent(event)
                .build());
    }

    /** {@code *} matches any characters; everything else literally. */
    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }
}
