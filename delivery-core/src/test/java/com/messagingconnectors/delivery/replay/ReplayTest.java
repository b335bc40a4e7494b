package com.messagingconnectors.delivery.replay;

import static com.messagingconnectors.delivery.replay.DeadLetterFixture.PERMANENT;
import static com.messagingconnectors.delivery.replay.DeadLetterFixture.POISON;
import static com.messagingconnectors.delivery.replay.DeadLetterFixture.RETRYABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.delivery.replay.ReplaySummary.Outcome;
import com.messagingconnectors.schemas.avro.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing and replaying dead letters on a real broker and schema registry. */
class ReplayTest {
    private static final Instant T10 = DeadLetterFixture.T10;
    private static final Instant T11 = DeadLetterFixture.T11;
    private static final Instant T12 = DeadLetterFixture.T12;

    private final DeadLetterFixture fixture = new DeadLetterFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void listsDeadLettersWithEveryFilter() {
        String ws = fixture.workspace;
        Notification a = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_a/ch_1", "report.completed"), T10, PERMANENT, 404);
        Notification b = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_a/ch_1", "sync.failed"), T11, RETRYABLE, 503);
        Notification c = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_b/ch_2", "report.completed"), T12, PERMANENT, 410);
        DeadLetterBrowser browser = fixture.browser();

        assertThat(ids(browser, filter(ws, null, null, null, null, null))).containsExactly(id(a), id(b), id(c));
        assertThat(ids(browser, filter(ws, "int_a/ch_1", null, null, null, null))).containsExactly(id(a), id(b));
        assertThat(ids(browser, filter(ws, null, "report.completed", null, null, null))).containsExactly(id(a), id(c));
        assertThat(ids(browser, filter(ws, null, null, "Permanent", null, null))).containsExactly(id(a), id(c));
        assertThat(ids(browser, filter(ws, null, null, RETRYABLE, null, null))).containsExactly(id(b));
        assertThat(ids(browser, filter(ws, null, null, null, T11, T12))).containsExactly(id(b));
        assertThat(ids(browser, filter(ws, null, null, null, T11, null))).containsExactly(id(b), id(c));
        assertThat(ids(browser, filter("ws_nobody_" + ws, null, null, null, null, null))).isEmpty();

        DeadLetter letter = browser.find(filter(ws, "int_b/ch_2", null, null, null, null)).matches().getFirst().letter();
        assertThat(letter.eventId()).isEqualTo(c.getEvent().getEventId());
        assertThat(letter.eventType()).isEqualTo("report.completed");
        assertThat(letter.key()).isEqualTo("int_b/ch_2");
        assertThat(letter.deadLetteredAt()).isEqualTo(T12);
        assertThat(letter.errorClass()).isEqualTo(PERMANENT);
        assertThat(letter.errorMessage()).contains("HTTP 410");
        assertThat(letter.httpStatus()).isEqualTo(410);
        assertThat(letter.originalTopic()).isEqualTo(DeadLetterFixture.TARGET);
        assertThat(letter.originalPartition()).isEqualTo(2);
        assertThat(letter.originalOffset()).isEqualTo(4711L);
        assertThat(letter.decodable()).isTrue();

        // explicit record ids (what the CLI replays in chunks) select exactly those records
        DeadLetter first = browser.find(filter(ws, null, null, null, null, T11)).matches().getFirst().letter();
        DeadLetterFilter byRecords = new DeadLetterFilter(null, null, null, null, null, null, Set.of(),
                Set.of(letter.id(), first.id()), 1000);
        assertThat(ids(browser, byRecords)).containsExactly(id(a), id(c));
    }

    @Test
    void listsAnUndecodableRecordWithTheReason() {
        String destination = "int_poison_" + fixture.workspace + "/ch";
        fixture.poison(destination, T10);

        List<DeadLetterBrowser.Found> found = fixture.browser().find(
                DeadLetterFilter.parse(null, destination, null, null, null, null, null, null, null)).matches();

        assertThat(found).hasSize(1);
        assertThat(found.getFirst().letter().decodable()).isFalse();
        assertThat(found.getFirst().letter().decodeError()).contains("magic byte");
        assertThat(found.getFirst().letter().errorClass()).isEqualTo(POISON);
    }

    @Test
    void aDryRunReportsWhatWouldBeReplayedAndSendsNothing() {
        Notification a = fixture.deadLetter(DeadLetterFixture.notification(fixture.workspace, "int_a/ch_1", "user.invited"), T10, PERMANENT, 400);
        Map<TopicPartition, Long> before = fixture.targetEnd();

        ReplaySummary summary = new Replayer(fixture.browser(), fixture.replayProducer(), null)
                .replay(new ReplayRequest(filter(fixture.workspace, null, null, null, null, null), true, 100));

        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.matched()).isEqualTo(1);
        assertThat(summary.replayed()).isEqualTo(1);
        assertThat(summary.items()).extracting(ReplaySummary.Item::notificationId, ReplaySummary.Item::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id(a), Outcome.WOULD_REPLAY));
        assertThat(summary.deliveredCheck()).isFalse();
        assertThat(fixture.replayedSince(before)).isEmpty();
        // the dead letter is still there: replay never removes anything from the dead-letter topic
        assertThat(ids(fixture.browser(), filter(fixture.workspace, null, null, null, null, null))).containsExactly(id(a));
    }

    @Test
    void replayKeepsKeyValueAndNotificationIdAndSkipsWhatWasDeliveredOrIsADuplicate() {
        String ws = fixture.workspace;
        Notification first = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_a/ch_1", "report.completed"), T10, PERMANENT, 404);
        Notification delivered = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_a/ch_1", "sync.failed"), T10, RETRYABLE, 503);
        fixture.deadLetter(first, T11, RETRYABLE, 500); // the same notification dead-lettered a second time
        Notification second = fixture.deadLetter(DeadLetterFixture.notification(ws, "int_b/ch_2", "alert.triggered"), T12, PERMANENT, 403);
        fixture.poison("int_poison/ch", T12);
        Map<TopicPartition, Long> before = fixture.targetEnd();
        DeliveredCheck deliveredLog = Set.of(delivered.getNotificationId())::contains;

        ReplaySummary summary = new Replayer(fixture.browser(), fixture.replayProducer(), deliveredLog)
                .replay(new ReplayRequest(filter(ws, null, null, null, null, null), false, 200));

        assertThat(summary.dryRun()).isFalse();
        assertThat(summary.matched()).isEqualTo(4);
        assertThat(summary.replayed()).isEqualTo(2);
        assertThat(summary.skippedAlreadyDelivered()).isEqualTo(1);
        assertThat(summary.skippedDuplicate()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
        assertThat(summary.targetTopic()).isEqualTo("notifications.teams");

        List<ConsumerRecord<byte[], byte[]>> replayed = fixture.replayedSince(before);
        assertThat(replayed).hasSize(2);
        assertThat(replayed).extracting(r -> DeadLetterFixture.decode(r.value()).getNotificationId())
                .containsExactlyInAnyOrder(id(first), id(second));
        for (ConsumerRecord<byte[], byte[]> record : replayed) {
            Notification notification = DeadLetterFixture.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(notification.getDestination().getDestinationId());
            assertThat(notification).isEqualTo(id(notification).equals(id(first)) ? first : second);
            assertThat(new String(record.headers().lastHeader("connectors-replay").value(), StandardCharsets.UTF_8))
                    .isEqualTo("manual");
            assertThat(StreamSupport.stream(record.headers().spliterator(), false).map(Header::key))
                    .contains("traceparent")
                    .noneMatch(name -> name.startsWith("kafka_dlt-") || name.startsWith("connectors-dlt-"));
        }
    }

    @Test
    void anUndecodableRecordIsReportedAsFailedNotSent() {
        String destination = "int_poison_" + fixture.workspace + "/ch";
        fixture.poison(destination, T10);
        Map<TopicPartition, Long> before = fixture.targetEnd();

        ReplaySummary summary = new Replayer(fixture.browser(), fixture.replayProducer(), null).replay(new ReplayRequest(
                DeadLetterFilter.parse(null, destination, null, null, null, null, null, null, null), false, 100));

        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.replayed()).isZero();
        assertThat(summary.items().getFirst().detail()).startsWith("not replayable: the record does not decode");
        assertThat(fixture.targetEnd()).isEqualTo(before);
    }

    @Test
    void badArgumentsAreRejectedWithEveryProblemAndNothingIsReplayed() {
        fixture.deadLetter(DeadLetterFixture.notification(fixture.workspace, "int_a/ch_1", "user.invited"), T10, PERMANENT, 400);
        Map<TopicPartition, Long> before = fixture.targetEnd();

        assertThatThrownBy(() -> DeadLetterFilter.parse(fixture.workspace, null, null, null, "yesterday",
                "2026-03-01", null, List.of("0-1", "zero"), "lots"))
                .isInstanceOf(ReplayArgumentException.class)
                .satisfies(e -> assertThat(((ReplayArgumentException) e).problems()).containsExactly(
                        "'from' must be an ISO-8601 date-time with offset such as 2026-03-01T12:00:00Z, was 'yesterday'",
                        "'to' must be an ISO-8601 date-time with offset such as 2026-03-01T12:00:00Z, was '2026-03-01'",
                        "'limit' must be a whole number, was 'lots'",
                        "record id 'zero' is not of the form <partition>-<offset>, e.g. 0-42"));
        assertThatThrownBy(() -> DeadLetterFilter.parse(null, null, null, null, T12.toString(), T10.toString(),
                null, null, "0"))
                .hasMessageContaining("'from' (" + T12 + ") must be before 'to' (" + T10 + ")")
                .hasMessageContaining("'limit' must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> new ReplayRequest(DeadLetterFilter.all(), false, 10))
                .hasMessageContaining("a replay needs at least one of workspace");
        assertThatThrownBy(() -> new ReplayRequest(filter(fixture.workspace, null, null, null, null, null), false, 0))
                .hasMessageContaining("'ratePerSecond' must be more than 0 and at most 1000, was 0.0");
        assertThatThrownBy(() -> DeadLetterAdminController.replayRequest(Map.of("workspace", fixture.workspace,
                "dryRun", false, "workspce", "ws_typo", "ratePerSecond", "fast")))
                .isInstanceOf(ReplayArgumentException.class)
                .hasMessageContaining("unknown field 'workspce'")
                .hasMessageContaining("'ratePerSecond' must be a number");

        assertThat(fixture.targetEnd()).isEqualTo(before);
    }

    @Test
    void theAdminApiServesTheOneChannelOfTheApplicationUnlessConfigured() {
        assertThat(DeadLetterReplayAutoConfiguration.channel("", List.of("webhook"))).isEqualTo("webhook");
        assertThat(DeadLetterReplayAutoConfiguration.channel("slack", List.of("webhook", "slack"))).isEqualTo("slack");
        assertThatThrownBy(() -> DeadLetterReplayAutoConfiguration.channel(null, List.of("webhook", "slack")))
                .hasMessageContaining("set connectors.replay.channel");
    }

    private static DeadLetterFilter filter(String workspace, String destination, String type, String error,
            Instant from, Instant to) {
        return new DeadLetterFilter(workspace, destination, type, error, from, to, Set.of(), Set.of(), 1000);
    }

    private static List<String> ids(DeadLetterBrowser browser, DeadLetterFilter filter) {
        return browser.find(filter).matches().stream().map(f -> f.letter().notificationId()).toList();
    }

    private static String id(Notification notification) {
        return notification.getNotificationId();
    }
}
