package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.DigestText;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The message a group's pending events become. One event of a group that groups or caps goes out as itself; more
 * events, or any repeats of a dedupKey, become one digest: the latest event with a summary saying what it stands
 * for ("sync.failed × 37 for pg-prod in the last 5 min"), so chat senders show it without knowing digests, and the
 * {@link Digest} record with every covered event id, which webhooks receive as the documented digest payload.
 */
final class DigestMessages {
    private DigestMessages() {
    }

    /** The message for {@code ids}, the pending events of {@code group}, of which {@code latest} is the last. */
    static Notification of(GroupState group, List<String> ids, Notification latest, long now) {
        boolean single = ids.size() == 1 && !"deduplicated".equals(group.reason);
        if (single) {
            return Notification.newBuilder(latest).setNoiseControl(null).build();
        }
        String destinationId = latest.getDestination().getDestinationId();
        PlatformEvent event = PlatformEvent.newBuilder(latest.getEvent())
                .setSummary(summary(group, ids.size(), latest.getEvent().getType(), now)).build();
        Digest digest = Digest.newBuilder()
                .setGroupKey(group.groupKey)
                .setGroupLabel(group.groupLabel)
                .setReason(group.reason)
                .setCount(ids.size())
                .setEventIds(ids)
                .setFirstOccurredAt(Instant.ofEpochMilli(group.firstOccurredAt))
                .setLastOccurredAt(Instant.ofEpochMilli(group.lastOccurredAt))
                .setSamples(group.samples)
                .build();
        return Notification.newBuilder(latest)
                // the first covered event names the digest: the same digest replayed keeps its id
                .setNotificationId(NotificationIds.of("digest:" + ids.getFirst(), destinationId))
                .setRoutedAt(Instant.ofEpochMilli(now))
                .setEvent(event)
                .setNoiseControl(null)
                .setDigest(digest)
                .build();
    }

    static String summary(GroupState group, int n, String type, long now) {
        String text = DigestText.headline(type, group.reason, n, group.groupLabel,
                Duration.ofMillis(now - group.pendingSince), group.capPerMinute);
        if (!group.samples.isEmpty()) {
            text += ": " + String.join("; ", group.samples) + (n > group.samples.size() ? "; …" : "");
        }
        return text.length() <= EventJson.MAX_SUMMARY_LENGTH ? text
                : text.substring(0, EventJson.MAX_SUMMARY_LENGTH - 1) + "…";
    }
}
