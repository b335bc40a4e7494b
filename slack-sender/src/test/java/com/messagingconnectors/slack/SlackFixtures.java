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

    /** A digest of {@code count} sync.failed events of pg-prod over five minutes, listing {@code samples}. */
    static com.messagingconnectors.schemas.avro.Digest digest(int count, List<String> samples) {
        List<String> ids = java.util.stream.IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        return com.messagingconnectors.schemas.avro.Digest.newBuilder().setGroupKey("rule-1|pg-prod")
                .setGroupLabel("pg-prod").setReason("grouped").setCount(count).setEventIds(ids)
                .setFirstOccurredAt(Instant.parse("2026-11-27T09:25:00Z"))
                .setLastOccurredAt(Instant.parse("2026-11-27T09:30:00Z")).setSamples(samples).build();
    }

    static PlatformEvent syncFailed(String summary) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType("sync.failed")
                .setWorkspaceId("ws_demo").setOccurredAt(Instant.parse("2026-11-27T09:30:00Z")).setLevel(Level.warning)
                .setSummary(summary).setLink("https://app.example.com/sources/pg-prod").setSource(null)
                .setAttributes(Map.of())
                .setPayload(com.messagingconnectors.schemas.avro.SyncFailed.newBuilder().setSourceId("src-1")
                        .setSourceName("pg-prod").setErrorMessage("connection refused").build())
                .build();
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
