package com.messagingconnectors.delivery.intake;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each assigned partition are taken but not done (delivered, parked in a retry topic, dead-lettered
 * or skipped). The committable offset of a partition is its lowest record not yet done, so a crash redelivers
 * everything unfinished and nothing else. Thread-safe: workers mark records done, the poll thread commits.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Bumped when a partition is revoked, so a late "done" of the previous owner-ship cannot mark a re-read offset. */
    private final Map<TopicPartition, Integer> generations = new HashMap<>();

    synchronized int generation(TopicPartition partition) {
        return generations.getOrDefault(partition, 0);
    }

    synchronized void taken(TopicPartition partition, long offset) {
        pending.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        nextOffset.merge(partition, offset + 1, Math::max);
    }

    synchronized void done(TopicPartition partition, int generation, long offset) {
        if (generation != generation(partition)) {
            return;
        }
        TreeSet<Long> offsets = pending.get(partition);
        if (offsets != null) {
            offsets.remove(offset);
        }
    }

    synchronized int pendingCount() {
        return pending.values().stream().mapToInt(TreeSet::size).sum();
    }

    synchronized int pendingCount(TopicPartition partition) {
        TreeSet<Long> offsets = pending.get(partition);
        return offsets == null ? 0 : offsets.size();
    }

    /** Offsets to commit now (only partitions that moved since the last commit). */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        nextOffset.forEach((partition, next) -> {
            TreeSet<Long> offsets = pending.get(partition);
            long commit = offsets == null || offsets.isEmpty() ? next : offsets.first();
            if (!Long.valueOf(commit).equals(committed.get(partition))) {
                result.put(partition, new OffsetAndMetadata(commit));
            }
        });
        return result;
    }

    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    synchronized boolean owns(TopicPartition partition, int generation) {
        return nextOffset.containsKey(partition) && generation == generation(partition);
    }

    public synchronized void forget(TopicPartition partition) {
        pending.remove(partition);
        nextOffset.remove(partition);
        committed.remove(partition);
        generations.merge(partition, 1, Integer::sum);
    }
}
