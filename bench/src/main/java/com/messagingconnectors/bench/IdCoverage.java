package com.messagingconnectors.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The event ids one phase produced and how the digest stage's output covered them: each id must be in exactly one
 * message (as itself, or in a digest's {@code eventIds}). Optionally the time from each id's produce acknowledgement
 * to the first message covering it being read, in the {@link LatencyStats} the id was expected with; the two may be
 * seen in either order (the acknowledgement callback and the reader are different threads). Thread-safe.
 */
final class IdCoverage {
    private static final long UNSET = Long.MIN_VALUE;

    private static final class Entry {
        final LatencyStats latency;
        long ackedNanos = UNSET;
        long readNanos = UNSET;
        int reads;

        Entry(LatencyStats latency) {
            this.latency = latency;
        }
    }

    private final Map<String, Entry> ids = new HashMap<>();
    private long covered;
    private long duplicates;
    private long foreign;
    private long messages;
    private long lastCoveredNanos;

    /** Registers an id before it is produced; {@code latency} (null: none) gets its ack → read time. */
    synchronized void expect(String id, LatencyStats latency) {
        ids.put(id, new Entry(latency));
    }

    synchronized void acked(String id, long nanos) {
        Entry entry = ids.get(id);
        if (entry != null && entry.ackedNanos == UNSET) {
            entry.ackedNanos = nanos;
            record(entry);
        }
    }

    /** One message read at {@code nanos}, standing for {@code eventIds}. */
    synchronized void read(List<String> eventIds, long nanos) {
        boolean ours = false;
        for (String id : eventIds) {
            Entry entry = ids.get(id);
            if (entry == null) {
                foreign++;
                continue;
            }
            ours = true;
            if (++entry.reads > 1) {
                duplicates++;
                continue;
            }
            covered++;
            lastCoveredNanos = nanos;
            entry.readNanos = nanos;
            record(entry);
        }
        if (ours) {
            messages++;
        }
    }

    private static void record(Entry entry) {
        if (entry.latency != null && entry.ackedNanos != UNSET && entry.readNanos != UNSET) {
            entry.latency.recordNanos(entry.readNanos - entry.ackedNanos);
        }
    }

    synchronized long expected() {
        return ids.size();
    }

    /** Expected ids read at least once. */
    synchronized long covered() {
        return covered;
    }

    synchronized long missing() {
        return ids.size() - covered;
    }

    /** Reads of an expected id beyond its first. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Ids read that this phase did not produce (an earlier phase's, late). */
    synchronized long foreign() {
        return foreign;
    }

    /** Messages read that covered at least one expected id. */
    synchronized long messages() {
        return messages;
    }

    /** When the last expected id was first covered (System.nanoTime). */
    synchronized long lastCoveredNanos() {
        return lastCoveredNanos;
    }

    synchronized boolean complete() {
        return covered == ids.size();
    }
}
