package com.messagingconnectors.config.model;

import java.util.List;

/**
 * A rule's digest settings, after Alertmanager's {@code group_by}, {@code group_wait} and {@code group_interval}:
 * events with the same values of {@code by} form a group; its first event is sent after {@code waitMillis} (0: at
 * once), later ones are folded into one digest per {@code intervalMillis}; a group that stays quiet for an interval
 * closes.
 *
 * @param by event fields: {@code type}, {@code level}, {@code source} or {@code attributes.<name>}
 */
public record Grouping(List<String> by, long waitMillis, long intervalMillis) {
    public Grouping {
        by = by == null ? List.of() : List.copyOf(by);
    }
}
