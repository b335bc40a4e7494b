package com.messagingconnectors.digest;

import java.util.ArrayList;
import java.util.List;

/**
 * One open group of one destination, as kept in the {@code digest-groups} store (JSON, changelogged): the events
 * waiting for the next digest and when that digest is due. Times are wall-clock milliseconds.
 */
final class GroupState {
    static final long NONE = Long.MAX_VALUE;

    public String groupKey;
    public String groupLabel;
    /** grouped | deduplicated | capped */
    public String reason;
    public long intervalMillis;
    public int capPerMinute;
    /** When the group last sent something (or opened); a group with nothing pending closes an interval later. */
    public long lastSentAt;
    /** When the pending events are due as one message; {@link #NONE} when nothing is pending. */
    public long dueAt = NONE;
    /** Ids of the pending events, in arrival order: each is in exactly one message. */
    public List<String> pendingIds = new ArrayList<>();
    public long firstOccurredAt;
    public long lastOccurredAt;
    public long pendingSince;
    /** Summaries of the first pending events, shown in the digest. */
    public List<String> samples = new ArrayList<>();
    /** The latest pending notification (Avro binary, no registry framing): what the digest is built from. */
    public byte[] template;

    boolean hasPending() {
        return !pendingIds.isEmpty();
    }

    void add(String eventId, long occurredAt, String summary, byte[] notification, long now, int maxSamples) {
        if (pendingIds.isEmpty()) {
            firstOccurredAt = occurredAt;
            lastOccurredAt = occurredAt;
            pendingSince = now;
        }
        pendingIds.add(eventId);
        firstOccurredAt = Math.min(firstOccurredAt, occurredAt);
        lastOccurredAt = Math.max(lastOccurredAt, occurredAt);
        if (samples.size() < maxSamples) {
            samples.add(summary);
        }
        template = notification;
    }

    void sent(long now) {
        pendingIds = new ArrayList<>();
        samples = new ArrayList<>();
        template = null;
        lastSentAt = now;
        dueAt = NONE;
    }
}
