package com.messagingconnectors.delivery.replay;

import java.util.List;

/**
 * What a replay (or its dry run) did.
 *
 * @param replayed records sent to the channel topic; in a dry run, the number that would be
 * @param skippedAlreadyDelivered matches whose notification id was delivered meanwhile (not sent twice)
 * @param skippedDuplicate further dead letters of a notification id already in this replay
 * @param failed matches that could not be replayed (undecodable record, send failed); see items
 * @param deliveredCheck false when the sender has no record of delivered ids, so nothing could be skipped as delivered
 * @param truncated more dead letters matched than the filter's limit; replay again for the rest
 */
public record ReplaySummary(String channel, String sourceTopic, String targetTopic, boolean dryRun, int matched,
        int replayed, int skippedAlreadyDelivered, int skippedDuplicate, int failed, boolean deliveredCheck,
        boolean truncated, List<Item> items) {

    public enum Outcome {
        REPLAYED, WOULD_REPLAY, SKIPPED_ALREADY_DELIVERED, SKIPPED_DUPLICATE, FAILED
    }

    /** One matched dead letter: its record id ({@code <partition>-<offset>}), notification id and outcome. */
    public record Item(String record, String notificationId, String destinationId, String eventType, Outcome outcome,
            String detail) {
    }
}
