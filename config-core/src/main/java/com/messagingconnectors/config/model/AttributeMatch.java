package com.messagingconnectors.config.model;

/** Matches an event attribute: exactly one of {@code equals} or {@code regex} is set (a full match). */
public record AttributeMatch(String key, String equals, String regex) {
}
