package com.messagingconnectors.config.model;

/**
 * A rule's deduplication: events carrying the same {@code dedupKey} within {@code windowMillis} are delivered once;
 * the repeats are counted and reported in one digest when the window ends.
 */
public record Dedupe(long windowMillis) {
}
