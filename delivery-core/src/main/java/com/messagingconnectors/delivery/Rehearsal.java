package com.messagingconnectors.delivery;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a channel rehearses before its sender says it is ready ({@link NotificationChannel#rehearsal}): a copy of the
 * channel that reaches nothing but the engine's loopback sink, one request to send with it, and the copy's client,
 * closed with the rehearsal.
 */
public record Rehearsal(NotificationChannel channel, DeliveryRequest request, AutoCloseable client)
        implements AutoCloseable {
    /** The workspace of every rehearsal: no real workspace has this id (theirs are {@code ws_…}). */
    public static final String WORKSPACE = "rehearsal";

    /**
     * A rehearsal of {@code copy} whose request is a notification (an event shaped like a platform's) to
     * {@code destination}, the one channel of an enabled integration of {@code kind} in the rehearsal workspace.
     *
     * @param credentials the integration's credentials, sealed for {@link #integrationId(IntegrationKind)}
     * @param properties  the integration's properties (e.g. a mode)
     */
    public static Rehearsal of(NotificationChannel copy, IntegrationKind kind, ChannelConfig destination,
            Map<String, EncryptedSecret> credentials, Map<String, String> properties, AutoCloseable client) {
        Instant now = Instant.now();
        IntegrationConfig integration = new IntegrationConfig(integrationId(kind), WORKSPACE, kind, "rehearsal", true,
                Map.of(), destination.id(), List.of(destination), List.of(), credentials, properties, 1, now, now);
        String eventId = UUID.randomUUID().toString();
        String destinationId = integration.destinationId(destination.id());
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType("report.completed")
                .setWorkspaceId(WORKSPACE).setOccurredAt(now).setSummary("Weekly report is ready")
                .setPayload(new GenericPayload("{\"reportId\":\"r-1\",\"rows\":1200}")).build();
        Notification notification = Notification.newBuilder().setNotificationId(NotificationIds.of(eventId,
                        destinationId)).setChannel(copy.name())
                .setDestination(new Destination(destinationId, integration.id(), destination.id()))
                .setRoutedAt(now).setEvent(event).build();
        return new Rehearsal(copy, new DeliveryRequest(notification, integration, destination, 1, false), client);
    }

    /** The id of the rehearsal integration of {@code kind}; secrets of a rehearsal are sealed for it. */
    public static String integrationId(IntegrationKind kind) {
        return "rehearsal-" + kind.name();
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
