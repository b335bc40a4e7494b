package com.messagingconnectors.config.routing;

import java.time.Duration;
import java.util.regex.Pattern;

/** Bounds of the noise settings a tenant may choose: grouping, deduplication, caps and mutes. */
public final class NoiseLimits {
    public static final int MAX_GROUP_BY = 5;
    /** A group-by field: type, level, source or attributes.<name>. */
    public static final Pattern GROUP_BY_FIELD = Pattern.compile("type|level|source|attributes\\.[A-Za-z0-9_.:-]{1,64}");
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);
    public static final Duration MIN_DEDUP_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_DEDUP_WINDOW = Duration.ofHours(24);
    public static final int MIN_CAP_PER_MINUTE = 1;
    public static final int MAX_CAP_PER_MINUTE = 10_000;
    public static final Duration MAX_MUTE = Duration.ofDays(90);
    public static final int MAX_MUTE_REASON = 200;
    /** A group-by value longer than this is cut: groups are told apart by their first characters. */
    public static final int MAX_GROUP_VALUE = 128;

    private NoiseLimits() {
    }
}
