package com.messagingconnectors.digest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of one open group of one destination, as kept in the {@code digest-groups} store (JSON, changelogged):
 * how many events wait for the next digest and when that digest is due. Its size does not grow with the pending
 * events: their ids are in the {@code digest-pending} store under sequence numbers {@code firstSeq … nextSeq - 1},
 * the latest pending notification in {@code digest-latest}. Times are wall-clock milliseconds.
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
    /** Names this group's entries in {@code digest-pending} (with a sequence number); a new one for each opening. */
    public String token;
    /** Sequence number of the first pending event id in {@code digest-pending}. */
    public long firstSeq;
    /** Sequence number the next event id gets: the pending ids are {@code firstSeq … nextSeq - 1}. */
    public long nextSeq;
    public long firstOccurredAt;
    public long lastOccurredAt;
    public long pendingSince;
    /** Summaries of the first pending events, shown in the digest. */
    public List<String> samples = new ArrayList<>();
    /** Written by the first layout, which kept every pending id in the header; read once and moved out. */
    @JsonProperty("pendingIds")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<String> oldPendingIds;
    /** Written by the first layout: the latest pending notification; read once and moved out. */
    @JsonProperty("template")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public byte[] oldTemplate;

    boolean hasPending() {
        return nextSeq > firstSeq;
    }

    int pendingCount() {
        return (int) (nextSeq - firstSeq);
    }

    /** Counts one more pending event; returns the sequence number its id is kept under. */
    long add(long occurredAt, String summary, long now, int maxSamples) {
        if (!hasPending()) {
            firstOccurredAt = occurredAt;
            lastOccurredAt = occurredAt;
            pendingSince = now;
        }
        firstOccurredAt = Math.min(firstOccurredAt, occurredAt);
        lastOccurredAt = Math.max(lastOccurredAt, occurredAt);
        if (samples.size() < maxSamples) {
            samples.add(summary);
        }
        return nextSeq++;
    }

    void sent(long now) {
        firstSeq = nextSeq;
        samples = new ArrayList<>();
        lastSentAt = now;
        dueAt = NONE;
    }
}
