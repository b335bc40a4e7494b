package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.integration.IntegrationService;
import org.springframework.stereotype.Component;

/**
 * A sender reported that a webhook endpoint must stop receiving (HTTP 410 Gone, or every attempt failed for the
 * configured period): integration-service, the only writer of connectors.config, disables the endpoint and emits an
 * {@code endpoint.disabled} event to platform.events ({@link StatusWriter}) so the workspace can be told through its
 * other integrations. Enabling it again is {@code POST …/channels/{id}:enable}.
 */
@Component
public class EndpointDisabling {
    public static final String REASON = "endpoint_disabled";
    public static final String EVENT_TYPE = "endpoint.disabled";

    private final IntegrationService integrations;
    private final StatusWriter writer;

    EndpointDisabling(IntegrationService integrations, StatusWriter writer) {
        this.integrations = integrations;
        this.writer = writer;
    }

    /** Acts on a report once: only while the endpoint is enabled and the report is newer than the last change. */
    void onReport(StatusReport report) {
        if (!REASON.equals(report.reason()) || report.channelId() == null) {
            return;
        }
        IntegrationConfig integration = integrations.find(report.workspaceId(), report.integrationId()).orElse(null);
        if (integration == null || report.at() == null || !report.at().isAfter(integration.updatedAt())) {
            return; // deleted since, or re-enabled by an admin after this report: an old report must not undo that
        }
        ChannelConfig channel = integration.channel(report.channelId()).orElse(null);
        if (channel == null || !channel.enabled()) {
            return;
        }
        writer.endpointDisabled(report, channel);
    }
}
