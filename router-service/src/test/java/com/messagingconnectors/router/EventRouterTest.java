package com.messagingconnectors.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventRouterTest {
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void routesTheWholeEventToTheConfiguredDestinationWithADeterministicId() {
        EventRouter router = new EventRouter(
                new StaticRouteProperties("webhook", "local/sandbox", "local", "sandbox", null), CLOCK);
        PlatformEvent event = event("9b2f0c4e-1d2a-4b7e-8f00-3c5d6e7f8a9b", "report.completed");

        Notification notification = router.route(event).orElseThrow();

        assertThat(notification.getNotificationId())
                .isEqualTo(NotificationIds.of("9b2f0c4e-1d2a-4b7e-8f00-3c5d6e7f8a9b", "local/sandbox"));
        assertThat(notification.getChannel()).isEqualTo("webhook");
        assertThat(notification.getDestination().getDestinationId()).isEqualTo("local/sandbox");
        assertThat(notification.getDestination().getIntegrationId()).isEqualTo("local");
        assertThat(notification.getDestination().getTarget()).isEqualTo("sandbox");
        assertThat(notification.getRoutedAt()).isEqualTo(NOW);
        assertThat(notification.getEvent()).isEqualTo(event);
        assertThat(router.route(event).orElseThrow().getNotificationId())
                .as("a redelivered event gets the same notification id")
                .isEqualTo(notification.getNotificationId());
    }

    @ParameterizedTest(name = "pattern {0} vs type {1} -> {2}")
    @CsvSource({
            "*, report.completed, true",
            "*, brand.new.type, true",
            "report.*, report.completed, true",
            "report.*, reports.completed, false",
            "*.failed, sync.failed, true",
            "*.failed, sync.failed.again, false",
            "user.invited, user.invited, true",
            "user.invited, user.invitedx, false",
            "alert.triggered, alert+triggered, false"
    })
    void filtersByTypePattern(String pattern, String type, boolean routed) {
        EventRouter router = new EventRouter(new StaticRouteProperties(null, null, null, null, pattern), CLOCK);

        assertThat(router.route(event("0d7c2a9e-5b1f-4c3a-9e8d-7f6a5b4c3d2e", type)).isPresent()).isEqualTo(routed);
    }

    private static PlatformEvent event(String eventId, String type) {
        return PlatformEvent.newBuilder()
                .setEventId(eventId)
                .setType(type)
                .setWorkspaceId("ws_acme")
                .setOccurredAt(NOW.minusSeconds(5))
                .setLevel(Level.info)
                .setSummary("something happened")
                .setAttributes(Map.of())
                .setPayload(GenericPayload.newBuilder().setJson("{}").build())
                .build();
    }
}
