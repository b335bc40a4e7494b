package com.messagingconnectors.googlechat;

import com.messagingconnectors.config.kinds.GoogleChatKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.GoogleChatSpaceConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Google Chat integrations, spaces and notifications for the tests, sealed the way integration-service seals them. */
final class Spaces {
    static final String KEYS = "t1:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final SecretBox SECRETS = SecretBox.fromConfig(KEYS, null);

    private Spaces() {
    }

    /** An integration with one space per webhook URL (channel ids s0, s1, …), the URLs sealed per channel. */
    static IntegrationConfig integration(String workspace, String id, String... webhookUrls) {
        List<ChannelConfig> spaces = new ArrayList<>();
        for (int i = 0; i < webhookUrls.length; i++) {
            String channelId = "s" + i;
            spaces.add(new GoogleChatSpaceConfig(channelId, "spaces/" + GoogleChatKind.spaceOf(webhookUrls[i]),
                    webhookUrls[i] == null ? null : SECRETS.seal(webhookUrls[i],
                            GoogleChatKind.webhookUrlPurpose(workspace, id, channelId)), true));
        }
        return new IntegrationConfig(id, workspace, IntegrationKind.googlechat, "Google Chat", true, Map.of(), "s0",
                spaces, List.of(), Map.of(), Map.of(), 1, Instant.now(), Instant.now());
    }

    static PlatformEvent event(String type) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setWorkspaceId("ws-test").setOccurredAt(Instant.parse("2026-03-01T12:30:00Z"))
                .setLevel(Level.info).setSummary("Weekly revenue report is ready")
                .setLink("https://app.example.com/reports/r-1")
                .setPayload(new GenericPayload("{\"reportId\":\"r-1\",\"reportName\":\"Weekly revenue\"}"))
                .build();
    }

    static Notification notification(IntegrationConfig integration, PlatformEvent event) {
        return notification(integration, integration.channels().getFirst().id(), event);
    }

    static Notification notification(IntegrationConfig integration, String channelId, PlatformEvent event) {
        String destinationId = integration.destinationId(channelId);
        PlatformEvent forWorkspace = PlatformEvent.newBuilder(event).setWorkspaceId(integration.workspaceId()).build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of(event.getEventId(), destinationId))
                .setChannel(GoogleChatChannel.NAME).setDestination(new Destination(destinationId, integration.id(),
                        channelId))
                .setRoutedAt(Instant.now()).setEvent(forWorkspace).build();
    }
}
