package com.messagingconnectors.bench;

import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Event JSON for POST /v1/events, padded to an exact size. A real type (report.completed) so the benchmark
 * exercises the same validation and Avro path as production traffic; the padding sits in the report name.
 * And report.completed notifications as the router writes them, for the benches that produce past the router.
 */
public final class BenchEvents {

    private BenchEvents() {
    }

    /** A report.completed event of exactly {@code targetBytes} UTF-8 bytes (or the minimum size, if larger). */
    public static String reportCompleted(long sequence, String workspaceId, int targetBytes) {
        return reportCompleted(UUID.randomUUID().toString(), sequence, workspaceId, Map.of(), targetBytes);
    }

    /** The same with a given event id and {@code attributes} (string values, usable by routing rules). */
    public static String reportCompleted(String eventId, long sequence, String workspaceId,
                                         Map<String, String> attributes, int targetBytes) {
        StringBuilder attributeJson = new StringBuilder();
        attributes.forEach((key, value) -> attributeJson.append(attributeJson.isEmpty() ? "" : ",")
                .append('"').append(key).append("\":\"").append(value).append('"'));
        String prefix = "{\"id\":\"" + eventId
                + "\",\"type\":\"report.completed\",\"workspaceId\":\"" + workspaceId
                + "\",\"summary\":\"Bench report " + sequence + " finished\",\"level\":\"info\""
                + (attributes.isEmpty() ? "" : ",\"attributes\":{" + attributeJson + "}")
                + ",\"payload\":{\"reportId\":\"r" + sequence + "\",\"reportName\":\"Weekly ";
        String suffix = "\"}}";
        int padding = targetBytes - prefix.getBytes(StandardCharsets.UTF_8).length - suffix.length();
        return prefix + "x".repeat(Math.max(0, padding)) + suffix;
    }

    /**
     * A report.completed notification of {@code eventId} for {@code destinationId} ("integrationId/target") on
     * {@code channel}, occurred and routed now, without noise control.
     */
    public static Notification notification(String eventId, String channel, String destinationId, String workspaceId,
                                            String summary, String payloadJson) {
        Instant now = Instant.now();
        int slash = destinationId.indexOf('/');
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType("report.completed")
                .setWorkspaceId(workspaceId).setOccurredAt(now).setSummary(summary)
                .setPayload(new GenericPayload(payloadJson)).build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of(eventId, destinationId))
                .setChannel(channel)
                .setDestination(new Destination(destinationId, destinationId.substring(0, slash),
                        destinationId.substring(slash + 1)))
                .setRoutedAt(now).setEvent(event).build();
    }
}
