package com.messagingconnectors.delivery.outcome;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Delivered notification ids with their delivery times, in the order they were first seen, at most {@code maxIds}
 * (the oldest go first), in about 32 bytes per id. A map of strings took about 250 bytes per id, so the default
 * bound of a million ids did not fit a sender's heap. An id is kept as 128 bits: a notification id is a UUID
 * ({@code NotificationIds}), kept exactly; any other string as the first 128 bits of its SHA-256. Not thread-safe.
 */
final class DeliveredIds {
    private static final int FIRST_CAPACITY = 1024;

    private final int maxIds;
    // a ring in first-seen order: slots head, head+1, … (mod capacity) hold the size ids
    private long[] high;
    private long[] low;
    private long[] at;
    private int head;
    private int size;
    // open addressing with linear probing: ring slot + 1 of the id hashed there, 0 for none; at most half full
    private int[] index;

    DeliveredIds(int maxIds) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxIds must be at least 1");
        }
        this.maxIds = maxIds;
        allocate(Math.min(FIRST_CAPACITY, maxIds));
    }

    int size() {
        return size;
    }

    /** The delivery time of {@code id}, or -1 when it is not kept. */
    long deliveredAt(String id) {
        long[] key = key(id);
        int slot = find(key[0], key[1]);
        return slot < 0 ? -1 : at[slot];
    }

    /** Keeps {@code id} with the later of its times; a new id beyond {@code maxIds} makes the oldest go. */
    void remember(String id, long deliveredAt) {
        long[] key = key(id);
        int slot = find(key[0], key[1]);
        if (slot >= 0) {
            at[slot] = Math.max(at[slot], deliveredAt);
            return;
        }
        if (size == maxIds) {
            forgetOldest();
        } else if (size == high.length) {
            grow();
        }
        int ring = (head + size) % high.length;
        high[ring] = key[0];
        low[ring] = key[1];
        at[ring] = deliveredAt;
        size++;
        insert(ring);
    }

    /** Forgets the oldest ids while they were delivered before {@code oldest}; stops at the first newer one. */
    void forgetDeliveredBefore(long oldest) {
        while (size > 0 && at[head] < oldest) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        remove(head);
        head = (head + 1) % high.length;
        size--;
    }

    private int find(long h, long l) {
        int mask = index.length - 1;
        for (int i = bucket(h, l); index[i] != 0; i = (i + 1) & mask) {
            int slot = index[i] - 1;
            if (high[slot] == h && low[slot] == l) {
                return slot;
            }
        }
        return -1;
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int i = bucket(high[slot], low[slot]);
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
    }

    /** Removes ring slot {@code slot} from the index, moving later entries of its probe run back into the gap. */
    private void remove(int slot) {
        int mask = index.length - 1;
        int gap = bucket(high[slot], low[slot]);
        while (index[gap] != slot + 1) {
            gap = (gap + 1) & mask;
        }
        index[gap] = 0;
        for (int i = (gap + 1) & mask; index[i] != 0; i = (i + 1) & mask) {
            int home = bucket(high[index[i] - 1], low[index[i] - 1]);
            // the entry may move into the gap unless its home lies cyclically in (gap, i]
            boolean homeBetween = gap <= i ? home > gap && home <= i : home > gap || home <= i;
            if (!homeBetween) {
                index[gap] = index[i];
                index[i] = 0;
                gap = i;
            }
        }
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldAt = at;
        int oldHead = head;
        allocate((int) Math.min((long) oldHigh.length * 2, maxIds));
        for (int n = 0; n < size; n++) {
            int from = (oldHead + n) % oldHigh.length;
            high[n] = oldHigh[from];
            low[n] = oldLow[from];
            at[n] = oldAt[from];
            insert(n);
        }
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        at = new long[capacity];
        head = 0;
        index = new int[Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1];
    }

    private int bucket(long h, long l) {
        long mixed = (h ^ Long.rotateLeft(l, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 32) & (index.length - 1);
    }

    /** The 128 bits an id is kept as: a canonical UUID's own, else the first 128 of its SHA-256. */
    static long[] key(String id) {
        if (id.length() == 36) {
            try {
                UUID uuid = UUID.fromString(id);
                if (uuid.toString().equals(id)) {
                    return new long[] {uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()};
                }
            } catch (IllegalArgumentException notAUuid) {
                // hashed below
            }
        }
        try {
            ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
            // a marker bit keeps hashed ids apart from UUIDs, whose variant bits are 10 (top bits of the low word)
            return new long[] {digest.getLong(), digest.getLong() | 0xC000000000000000L};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
