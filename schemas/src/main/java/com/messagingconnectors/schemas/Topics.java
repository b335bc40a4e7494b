package com.messagingconnectors.schemas;

/** Topic names fixed by the contracts (DESIGN.md). Partition counts are configuration, not code. */
public final class Topics {
    public static final String PLATFORM_EVENTS = "platform.events";
    public static final String PLATFORM_EVENTS_DLQ = "platform.events.dlq";
    public static final String CONNECTORS_CONFIG = "connectors.config";
    public static final String CONNECTORS_STATUS = "connectors.status";
    public static final String SCHEMAS = "_schemas";

    /** Channels that have a per-channel notification topic. */
    public static final java.util.List<String> CHANNELS = java.util.List.of("slack", "teams", "webhook");

    private Topics() {
    }

    /** {@code notifications.<channel>}, keyed by destination id. */
    public static String notifications(String channel) {
        return "notifications." + channel;
    }

    /** {@code notifications.<channel>.dlq}: dead-lettered notifications with the reason in headers. */
    public static String deadLetter(String channel) {
        return notifications(channel) + ".dlq";
    }
}
