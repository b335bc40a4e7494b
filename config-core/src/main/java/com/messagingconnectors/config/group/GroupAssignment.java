package com.messagingconnectors.config.group;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * What a group member holds, for its readiness: fed from its rebalance listener, read by a health indicator. A member
 * has joined once the coordinator gave it its first assignment (possibly empty, when the group has more members than
 * partitions); before that, records sent to the group wait for it, so it is not ready. It is itself a rebalance
 * listener for a member that needs no other ({@code consumer.subscribe(topics, assignment)}); lost partitions count as
 * revoked (the listener's default).
 */
public final class GroupAssignment implements ConsumerRebalanceListener {
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    private volatile boolean joined;

    /** From {@code onPartitionsAssigned}. */
    public void assigned(Collection<TopicPartition> partitions) {
        held.addAll(partitions);
        joined = true;
    }

    /** From {@code onPartitionsRevoked} and {@code onPartitionsLost}. */
    public void revoked(Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned(partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        revoked(partitions);
    }

    public boolean joined() {
        return joined;
    }

    public int partitionCount() {
        return held.size();
    }
}
