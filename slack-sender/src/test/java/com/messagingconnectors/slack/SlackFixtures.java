package com.messagingconnectors.slack;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events, integrations and requests as the router and integration-service would produce them. */
final class SlackFixtures {
    static final SecretBox SECRETS = SecretBox.fromConfig("test:" + Base64.getEncoder().encodeToString(new byte[32]), null);
    static final String TOKEN = "xoxb-test-token-never-logged";

    private SlackFixtures() {
    }

    static PlatformEvent reportCompleted(String reportName, String summary) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("report.completed")
                .setWorkspaceId("ws_demo").setOccurredAt(Instant.parse("2026-11-27T09:30:00Z")).setLevel(Level.info)
                .setSummary(summary).setLink("https://app.example.com/reports/r-42").setSource("reports")
                .setAttributes(Map.of())
                .setPayload(ReportCompleted.newBuilder().setReportId("r-42").setReportName(reportName)
                        .setRowCount(1200L).setDurationMs(5300L).setDownloadUrl(null).build())
                .build();
    }

    static PlatformEvent generic(String type, String json) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setWorkspaceId("ws_demo").setOccurredAt(Instant.parse("2026-11-27T09:30:00Z")).setLevel(Level.warning)
                .setSummary("Something new happened").setLink(null).setSource(null).setAttributes(Map.of())
                .setPayload(GenericPayload.newBuilder().setJson(json).build()).build();
    }

    static IntegrationConfig integration(String scopes, Map<String, String> extraProperties) {
        String ws = "ws_demo";
        String id = "int_slack1";
        var props = new java.util.HashMap<>(Map.of("slack_team_id", "T1", "scopes", scopes));
        props.putAll(extraProperties);
        return new IntegrationConfig(id, ws, IntegrationKind.slack, "Slack", true, Map.of("report.completed", true),
                "C_general", List.of(new SlackChannelConfig("C_analytics", "#analytics-team")), List.of(),
                Map.of("bot_token", SECRETS.seal(TOKEN, SecretPurposes.credential(ws, id, "bot_token"))), props, 3,
                Instant.now(), Instant.now());
    }

    static DeliveryRequest request(IntegrationConfig integration, PlatformEvent event) {
        String channelId = "C_analytics";
        String destinationId = integration.destinationId(channelId);
        Notification notification = Notification.newBuilder()
                .setNotificationId(NotificationIds.of(event.getEventId(), destinationId)).setChannel("slack")
                .setDestination(Destination.newBuilder().setDestinationId(destinationId)
                        .setIntegrationId(integration.id()).setTarget(channelId).build())
                .setRoutedAt(Instant.now()).setRuleId("reports").setEvent(event).build();
        return new DeliveryRequest(notification, integration, integration.channel(channelId).orElseThrow(), 1, false);
    }
}
