package com.messagingconnectors.digest;

import java.time.Duration;

/**
 * Tuning of the digest stage (not per tenant: those settings travel with each notification).
 *
 * @param tick             how often (wall clock) due digests are sent and quiet groups closed
 * @param maxIdsPerDigest  a group that collects this many events sends them at once (subject to the cap)
 * @param samples          how many event summaries a digest lists
 */
public record DigestSettings(Duration tick, int maxIdsPerDigest, int samples) {
    public static final DigestSettings DEFAULTS = new DigestSettings(Duration.ofSeconds(1), 2_000, 5);
}
