package com.messagingconnectors.integration.console;

import java.util.List;

/**
 * Example events of the documented types (docs/events.md), for the routing preview: pick one, or type any type and
 * the preview fills in a summary and, for a documented type, a valid payload.
 */
final class EventExamples {
    record Example(String type, String level, String summary, String payload) {
    }

    static final List<Example> ALL = List.of(
            new Example("report.completed", "info", "Weekly revenue report is ready",
                    "{\"reportId\":\"r-1\",\"reportName\":\"Weekly revenue\"}"),
            new Example("sync.failed", "warning", "Salesforce sync failed",
                    "{\"sourceId\":\"src-1\",\"sourceName\":\"Salesforce\",\"errorMessage\":\"401 Unauthorized\"}"),
            new Example("user.invited", "info", "Ann was invited",
                    "{\"userEmail\":\"ann@example.com\",\"invitedBy\":\"bob@example.com\"}"),
            new Example("user.deactivated", "warning", "Carl was deactivated",
                    "{\"userEmail\":\"carl@example.com\",\"deactivatedBy\":\"bob@example.com\"}"),
            new Example("alert.triggered", "alert", "Error rate above 5%",
                    "{\"alertId\":\"a-1\",\"alertName\":\"Error rate\",\"metric\":\"error_rate\",\"comparator\":\">\",\"threshold\":5,\"value\":7.5}"),
            new Example("alert.resolved", "info", "Error rate back below 5%",
                    "{\"alertId\":\"a-1\",\"alertName\":\"Error rate\",\"value\":1.2}"));

    private EventExamples() {
    }

    static Example of(String type) {
        return ALL.stream().filter(e -> e.type().equals(type)).findFirst()
                .orElse(new Example(type, "info", "Preview of " + type, "{}"));
    }
}
