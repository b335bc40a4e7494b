package com.messagingconnectors.config.model;

import java.util.List;

/**
 * What a routing rule matches. All given conditions must hold; an empty list means "any".
 *
 * @param types      type patterns: exact ({@code report.completed}), prefix ({@code report.*}) or {@code *}
 * @param levels     info, warning, alert ("alert-level" = alert)
 * @param attributes conditions on event attributes
 */
public record RuleMatch(List<String> types, List<String> levels, List<AttributeMatch> attributes) {
    public RuleMatch {
        types = types == null ? List.of() : List.copyOf(types);
        levels = levels == null ? List.of() : List.copyOf(levels);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }
}
