package com.messagingconnectors.schemas;

/**
 * One problem with one field of an event's JSON.
 *
 * @param field   where: a JSON-pointer-ish path such as {@code payload.reportId} or {@code events[3].summary}
 * @param problem what is wrong, in words a person can act on
 */
public record FieldError(String field, String problem) {
}
