package com.messagingconnectors.schemas;

/**
 * Topic names fixed by the contracts (DESIGN.md). Partition counts are configuration, not code. The channel kinds
 * (and so the per-channel topics) are listed once, in config-core's {@code IntegrationKind}.
 */
public final class Topics {
    public static final String PLATFORM_EVENTS = "platform.events";
    public static final String PLATFORM_EVENTS_DLQ = "platform.events.dlq";
    public static final String CONNECTORS_CONFIG = "connectors.config";
    public static final String CONNECTORS_STATUS = "connectors.status";
    public static final String SCHEMAS = "_schemas";
    /** Notifications of routes with grouping, deduplication or a cap, on their way to the digest stage. */
    public static final String DIGEST_INPUT = "notifications.digest";
    /** Records the digest stage could not read, with the reason in headers. */
    public static final String DIGEST_INPUT_DLQ = "notifications.digest.dlq";

    /**
     * Compacted: which chat message a sender posted for an alert (key {@code <destinationId>␞<alertId>}), so that
     * any instance can update or answer it when the alert resolves.
     */
    public static final String ALERT_MESSAGES = "connectors.alert-messages";

    private Topics() {
    }

    /** {@code notifications.<channel>}, keyed by destination id. */
    public static String notifications(String channel) {
        return "notifications." + channel;
    }

    /**
     * {@code notifications.<channel>.digested}: what the digest stage sends to a channel's senders. Apart from the
     * router's topic because a read_committed sender reads no record of a partition past one in a transaction still
     * open: the stage commits every commit interval, and ungrouped notifications behind its output would wait for it.
     */
    public static String digested(String channel) {
        return notifications(channel) + ".digested";
    }

    /** {@code notifications.<channel>.dlq}: dead-lettered notifications with the reason in headers. */
    public static String deadLetter(String channel) {
        return notifications(channel) + ".dlq";
    }

    /** {@code notifications.<channel>.retry-<step>}: attempt {@code step + 1} waits here (step 1 is the first retry). */
    public static String retry(String channel, int step) {
        return notifications(channel) + ".retry-" + step;
    }

    /** {@code notifications.<channel>.delivered} (compacted): the ids a channel delivered, its senders dedupe on it. */
    public static String delivered(String channel) {
        return notifications(channel) + ".delivered";
    }
}
