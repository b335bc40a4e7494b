package com.messagingconnectors.schemas;

import java.util.List;
import java.util.stream.Collectors;

/** An event's JSON broke one or more rules; {@link #errors()} lists every problem found, not just the first. */
public class EventValidationException extends RuntimeException {
    private final List<FieldError> errors;

    public EventValidationException(List<FieldError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(List<FieldError> errors) {
        return "invalid event: " + errors.stream()
                .map(e -> (e.field().isEmpty() ? "(body)" : e.field()) + ": " + e.problem())
                .collect(Collectors.joining("; "));
    }
}
