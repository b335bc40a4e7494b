package com.messagingconnectors.delivery.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * What to replay and how.
 *
 * @param dryRun only report what would be replayed (the default everywhere: an operator looks before acting)
 * @param ratePerSecond at most this many records per second are sent to the channel topic
 */
public record ReplayRequest(DeadLetterFilter filter, boolean dryRun, double ratePerSecond) {
    public static final double DEFAULT_RATE_PER_SECOND = 50;
    public static final double MAX_RATE_PER_SECOND = 1000;

    public ReplayRequest {
        List<String> problems = new ArrayList<>();
        if (filter == null) {
            problems.add("a filter is required");
        } else if (!dryRun && !filter.isSelective()) {
            problems.add("a replay needs at least one of workspace, destination, type, error, from, to, ids or "
                    + "records; to replay every dead letter say so with e.g. from=1970-01-01T00:00:00Z");
        }
        if (!(ratePerSecond > 0) || ratePerSecond > MAX_RATE_PER_SECOND) {
            problems.add("'ratePerSecond' must be more than 0 and at most " + (int) MAX_RATE_PER_SECOND + ", was "
                    + ratePerSecond);
        }
        if (!problems.isEmpty()) {
            throw new ReplayArgumentException(problems);
        }
    }
}
