package com.messagingconnectors.delivery.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private final TopicPartition p0 = new TopicPartition("notifications.webhook", 0);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyUpToTheLowestRecordNotYetDone() {
        tracker.taken(p0, 10);
        tracker.taken(p0, 11);
        tracker.taken(p0, 12);
        tracker.done(p0, 0, 11);
        tracker.done(p0, 0, 12);

        assertThat(tracker.committable()).isEqualTo(Map.of(p0, new OffsetAndMetadata(10)));

        tracker.done(p0, 0, 10);
        assertThat(tracker.committable()).isEqualTo(Map.of(p0, new OffsetAndMetadata(13)));
    }

    @Test
    void aCommittedPositionIsNotCommittedAgain() {
        tracker.taken(p0, 5);
        tracker.done(p0, 0, 5);
        tracker.committed(tracker.committable());

        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void aLateDoneFromBeforeARevocationIsIgnored() {
        tracker.taken(p0, 7);
        int before = tracker.generation(p0);
        tracker.forget(p0);
        tracker.taken(p0, 7);

        tracker.done(p0, before, 7);

        assertThat(tracker.committable()).isEqualTo(Map.of(p0, new OffsetAndMetadata(7)));
    }
}
