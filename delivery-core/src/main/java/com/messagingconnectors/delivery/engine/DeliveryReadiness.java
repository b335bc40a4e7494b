package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.config.group.GroupAssignment;
import com.messagingconnectors.config.store.ConfigView;
import java.util.function.BooleanSupplier;

/**
 * Whether one delivery engine is ready: its state is loaded (the delivered log, the live configuration, the alert
 * messages of a chat channel), its poll loop runs, it holds its partitions, and its warm-up ({@link WarmUp}) is over.
 * Until then, notifications sent to its channel wait: after an unclean stop, for a whole session timeout of its group.
 * The engine feeds it (state loaded, warmed up); the group consumer's rebalance listener ({@code kafka.DeliveryKafka})
 * feeds the assignment; the sender's readiness probe reads it.
 */
public final class DeliveryReadiness {
    private final ConfigView config;
    private final GroupAssignment assignment;
    private final BooleanSupplier loopStopped;
    private final BooleanSupplier alertMessagesLoaded;
    private volatile boolean stateLoaded;
    private volatile boolean warmedUp;

    /**
     * @param assignment  what the engine's group consumer holds
     * @param loopStopped true once the poll loop has stopped (asked to, or died)
     */
    DeliveryReadiness(ConfigView config, GroupAssignment assignment, BooleanSupplier loopStopped) {
        this(config, assignment, loopStopped, () -> true);
    }

    /** @param alertMessagesLoaded true once the channel's alert messages are loaded (always, if it keeps none) */
    DeliveryReadiness(ConfigView config, GroupAssignment assignment, BooleanSupplier loopStopped,
            BooleanSupplier alertMessagesLoaded) {
        this.config = config;
        this.assignment = assignment;
        this.loopStopped = loopStopped;
        this.alertMessagesLoaded = alertMessagesLoaded;
    }

    void stateLoaded() {
        stateLoaded = true;
    }

    void warmedUp() {
        warmedUp = true;
    }

    /** Why the engine is not ready, or null when it is. */
    public String notReadyBecause() {
        if (loopStopped.getAsBoolean()) {
            return "delivery stopped";
        }
        if (!stateLoaded) {
            return "delivered log not loaded";
        }
        if (!alertMessagesLoaded.getAsBoolean()) {
            return "alert messages not loaded";
        }
        if (!config.isCaughtUp()) {
            return "configuration not loaded";
        }
        if (!assignment.joined()) {
            return "not yet assigned its partitions";
        }
        if (!warmedUp) {
            return "warming up";
        }
        return null;
    }

    public int partitionCount() {
        return assignment.partitionCount();
    }
}
