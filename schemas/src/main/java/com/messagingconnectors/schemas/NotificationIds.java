package com.messagingconnectors.schemas;

import com.messagingconnectors.schemas.avro.Notification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * The deterministic notification id: a name-based (version 5, SHA-1) UUID of event id + destination id.
 * Every retry, replay or duplicate of the same delivery carries the same id, so receivers can dedupe on it.
 */
public final class NotificationIds {
    /** Namespace of the name-based UUIDs, fixed forever: changing it would change every id. */
    private static final UUID NAMESPACE = UUID.fromString("6d3c2b1e-4f0a-5b7c-9d8e-1a2b3c4d5e6f");

    private NotificationIds() {
    }

    public static String of(String eventId, String destinationId) {
        return nameUuid(eventId + "\n" + destinationId).toString();
    }

    /**
     * The event ids a notification stands for: its event's, or every id of its digest (the digest stage folded them):
     * what a receiver counts each event by, exactly once.
     */
    public static List<String> eventIdsCovered(Notification notification) {
        return notification.getDigest() == null ? List.of(notification.getEvent().getEventId())
                : List.copyOf(notification.getDigest().getEventIds());
    }

    private static UUID nameUuid(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(toBytes(NAMESPACE));
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (hash[i] & 0xff);
                lsb = (lsb << 8) | (hash[i + 8] & 0xff);
            }
            return new UUID(msb, lsb);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] out = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (msb >>> (56 - 8 * i));
            out[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return out;
    }
}
