package com.messagingconnectors.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a receiver counts events by: a notification's own event, or every id its digest folded. */
class NotificationIdsTest {

    @Test
    void aDigestStandsForItsEventIdsAndAPlainNotificationForItsEvent() {
        PlatformEvent event = PlatformEvent.newBuilder().setEventId("e1").setType("sync.failed").setWorkspaceId("ws")
                .setOccurredAt(Instant.EPOCH).setSummary("s").setPayload(new GenericPayload("{}")).build();
        Notification single = Notification.newBuilder().setNotificationId(NotificationIds.of("e1", "int_1/c"))
                .setChannel("slack").setDestination(new Destination("int_1/c", "int_1", "c"))
                .setRoutedAt(Instant.EPOCH).setEvent(event).build();
        assertThat(NotificationIds.eventIdsCovered(single)).containsExactly("e1");

        Notification digest = Notification.newBuilder(single).setDigest(Digest.newBuilder().setGroupKey("g")
                .setReason("grouped").setCount(2).setEventIds(List.of("e2", "e3"))
                .setFirstOccurredAt(Instant.EPOCH).setLastOccurredAt(Instant.EPOCH).build()).build();
        assertThat(NotificationIds.eventIdsCovered(digest)).containsExactly("e2", "e3");
    }
}
