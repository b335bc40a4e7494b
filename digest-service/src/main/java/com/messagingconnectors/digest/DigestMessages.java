package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;

import java.time.Duration;
import java.time.Instant;

/**
 * The message a group's pending events become. One event of a group that groups or caps goes out as itself; more
 * events, or any repeats of a dedupKey, become one digest: the latest event with a summary saying what it stands
 * for ("sync.failed × 37 for pg-prod in the last 5 min"), so chat senders show it without knowing digests, and the
 * {@link Digest} record with every covered event id, which webhooks receive as the documented digest payload.
 */
final class DigestMessages {
    private DigestMessages() {
    }

    static Notification of(GroupState group, Notification latest, long now) {
        boolean single = group.pendingIds.size() == 1 && !"deduplicated".equals(group.reason);
        if (single) {
            return Notification.newBuilder(latest).setNoiseControl(null).build();
        }
        String destinationId = latest.getDestination().getDestinationId();
        PlatformEvent event = PlatformEvent.newBuilder(latest.getEvent())
                .setSummary(summary(group, latest.getEvent().getType(), now)).build();
        Digest digest = Digest.newBuilder()
                .setGroupKey(group.groupKey)
                .setGroupLabel(group.groupLabel)
                .setReason(group.reason)
                .setCount(group.pendingIds.size())
                .setEventIds(group.pendingIds)
                .setFirstOccurredAt(Instant.ofEpochMilli(group.firstOccurredAt))
                .setLastOccurredAt(Instant.ofEpochMilli(group.lastOccurredAt))
                .setSamples(group.samples)
                .build();
        return Notification.newBuilder(latest)
                // the first covered event names the digest: the same digest replayed keeps its id
                .setNotificationId(NotificationIds.of("digest:" + group.pendingIds.getFirst(), destinationId))
                .setRoutedAt(Instant.ofEpochMilli(now))
                .setEvent(event)
                .setNoiseControl(null)
                .setDigest(digest)
                .build();
    }

    static String summary(GroupState group, String type, long now) {
        int n = group.pendingIds.size();
        String span = human(Duration.ofMillis(Math.max(1_000, now - group.pendingSince)));
        String text = switch (group.reason) {
            case "deduplicated" -> type + " repeated " + n + (n == 1 ? " more time" : " more times") + " ("
                    + group.groupLabel + ") in the last " + span;
            case "capped" -> type + " × " + n + " held back by the limit of " + group.capPerMinute
                    + " messages per minute";
            default -> type + " × " + n + " for " + group.groupLabel + " in the last " + span;
        };
        if (!group.samples.isEmpty()) {
            text += ": " + String.join("; ", group.samples) + (n > group.samples.size() ? "; …" : "");
        }
        return text.length() <= EventJson.MAX_SUMMARY_LENGTH ? text
                : text.substring(0, EventJson.MAX_SUMMARY_LENGTH - 1) + "…";
    }

    static String human(Duration d) {
        long seconds = (d.toMillis() + 999) / 1000;
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        return minutes < 120 ? minutes + " min" : (minutes + 59) / 60 + " h";
    }
}
