package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.NotificationIds;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import com.messagingconnectors.testsupport.TestInfrastructure;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digest topology on Kafka Streams' TopologyTestDriver, with the real schema registry: the wall clock is moved
 * by hand, so windows, caps and quiet groups are shown without waiting. Every test accounts for every event id.
 */
class DigestTopologyTest {
    static final String DEST = "int_1/C_alerts";
    static final Instant START = Instant.parse("2026-03-01T12:00:05Z");
    static Map<String, String> serdeConfig;

    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> input;
    TestOutputTopic<String, byte[]> slack;
    TestOutputTopic<String, byte[]> dlq;
    AvroSerializer<Notification> serializer = new AvroSerializer<>();
    AvroDeserializer<Notification> deserializer = new AvroDeserializer<>();

    @BeforeAll
    static void registry() {
        serdeConfig = Map.of("schema.registry.url", TestInfrastructure.schemaRegistryUrl());
    }

    @BeforeEach
    void start() {
        startAt(START);
        serializer.configure(serdeConfig, false);
        deserializer.configure(serdeConfig, false);
    }

    /** A new driver with empty stores, its wall clock at {@code now}. */
    void startAt(Instant now) {
        StreamsBuilder builder = new StreamsBuilder();
        DigestTopology.attach(builder.stream("notifications.digest", Consumed.with(Serdes.ByteArray(),
                Serdes.ByteArray())), new DigestSettings(Duration.ofSeconds(1), 50, 3), serdeConfig, "digest-test");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "digest-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/digest-test-"
                + UUID.randomUUID());
        driver = new TopologyTestDriver(builder.build(), props, now);
        input = driver.createInputTopic("notifications.digest", new ByteArraySerializer(), new ByteArraySerializer());
        slack = driver.createOutputTopic("notifications.slack.digested", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("notifications.digest.dlq", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void firstEventAtOnceThenOneDigestPerIntervalThenAQuietGroupCloses() {
        NoiseControl grouping = grouping(0, 60_000);
        Notification first = notification("sync.failed", grouping);
        pipe(first);
        List<Notification> out = sent();
        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.getNotificationId()).isEqualTo(first.getNotificationId());
            assertThat(n.getDigest()).isNull();
        });

        List<String> folded = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            Notification n = notification("sync.failed", grouping);
            folded.add(n.getEvent().getEventId());
            pipe(n);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(59));
        assertThat(sent()).as("nothing before the interval ends").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Notification digest = assertThat(sent()).singleElement().actual();
        assertThat(digest.getDigest().getCount()).isEqualTo(37);
        assertThat(digest.getDigest().getEventIds()).containsExactlyElementsOf(folded);
        assertThat(digest.getDigest().getReason()).isEqualTo("grouped");
        assertThat(digest.getEvent().getSummary()).startsWith("sync.failed × 37 for sync.failed, pg-prod in the last");
        assertThat(digest.getDigest().getSamples()).hasSize(3);
        assertThat(digest.getNotificationId()).isEqualTo(NotificationIds.of("digest:" + folded.getFirst(), DEST));

        driver.advanceWallClockTime(Duration.ofSeconds(61));
        assertThat(sent()).as("a quiet group sends nothing more").isEmpty();
        Notification afterQuiet = notification("sync.failed", grouping);
        pipe(afterQuiet);
        assertThat(sent()).as("the quiet group closed: its next event opens a new one and goes out at once")
                .singleElement().satisfies(n -> assertThat(n.getNotificationId())
                        .isEqualTo(afterQuiet.getNotificationId()));
    }

    @Test
    void groupWaitHoldsTheFirstEventsAndSendsThemTogether() {
        NoiseControl grouping = grouping(30_000, 300_000);
        Notification a = notification("sync.failed", grouping);
        Notification b = notification("sync.failed", grouping);
        pipe(a);
        pipe(b);
        driver.advanceWallClockTime(Duration.ofSeconds(29));
        assertThat(sent()).isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(sent()).singleElement().satisfies(n -> assertThat(n.getDigest().getEventIds())
                .containsExactly(a.getEvent().getEventId(), b.getEvent().getEventId()));
    }

    @Test
    void aGroupThatNeverGoesQuietSendsOneDigestPerIntervalAndCoversEveryEventOnce() {
        NoiseControl grouping = grouping(0, 10_000);
        Set<String> ids = new HashSet<>();
        List<Notification> out = new ArrayList<>();
        for (int second = 0; second < 45; second++) {
            for (int i = 0; i < 3; i++) {
                Notification n = notification("sync.failed", grouping);
                ids.add(n.getEvent().getEventId());
                pipe(n);
            }
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            out.addAll(sent());
        }
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        out.addAll(sent());
        // one message at once, then one digest per 10 s
        assertThat(out).hasSizeBetween(5, 6);
        assertThat(covered(out)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aLateEventIsFoldedIntoTheNextMessageNotDropped() {
        NoiseControl grouping = grouping(0, 60_000);
        pipe(notification("sync.failed", grouping));
        sent();
        Notification late = notification("sync.failed", grouping);
        late.getEvent().setOccurredAt(START.minus(Duration.ofHours(2)));
        input.pipeInput(new TestRecord<>(DEST.getBytes(StandardCharsets.UTF_8),
                serializer.serialize("notifications.digest", late), START.minus(Duration.ofHours(2))));
        Notification onTime = notification("sync.failed", grouping);
        pipe(onTime);
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        Notification digest = assertThat(sent()).singleElement().actual();
        assertThat(digest.getDigest().getEventIds())
                .containsExactly(late.getEvent().getEventId(), onTime.getEvent().getEventId());
        assertThat(digest.getDigest().getFirstOccurredAt()).isEqualTo(START.minus(Duration.ofHours(2)));
    }

    @Test
    void beyondTheCapEventsAreFoldedIntoTheNextDigestNeverDropped() {
        NoiseControl capOnly = new NoiseControl(null, null, 0L, 0L, false, 3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Notification n = notification("report.completed", capOnly);
            ids.add(n.getEvent().getEventId());
            pipe(n);
        }
        List<Notification> out = new ArrayList<>(sent());
        assertThat(out).as("the first three at once").hasSize(3).allSatisfy(n -> assertThat(n.getDigest()).isNull());
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(sent()).as("the cap holds for the rest of the minute").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        Notification digest = assertThat(sent()).singleElement().actual();
        assertThat(digest.getDigest().getReason()).isEqualTo("capped");
        assertThat(digest.getDigest().getCount()).isEqualTo(7);
        assertThat(digest.getEvent().getSummary()).contains("held back by the limit of 3 messages per minute");
        out.add(digest);
        assertThat(covered(out)).containsExactlyElementsOf(ids);
    }

    @Test
    void aCapAlsoDelaysTheDigestsOfGroupedRoutes() {
        NoiseControl grouped = new NoiseControl("group\u001frule\u001fsync.failed", "sync.failed", 0L, 5_000L, false, 1);
        Notification first = notification("sync.failed", grouped);
        pipe(first);
        Notification held = notification("sync.failed", grouped);
        Notification alsoHeld = notification("sync.failed", grouped);
        pipe(held);
        pipe(alsoHeld);
        assertThat(sent()).hasSize(1);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(sent()).as("the interval is over but this minute's one message is spent").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(50));
        assertThat(sent()).singleElement().satisfies(n -> assertThat(n.getDigest().getEventIds())
                .containsExactly(held.getEvent().getEventId(), alsoHeld.getEvent().getEventId()));
    }

    @Test
    void repeatsOfADedupKeyAreDeliveredOnceAndCountedWhenTheWindowEnds() {
        NoiseControl dedupe = new NoiseControl("dedup\u001frule\u001fdisk-full-db1", "alert.triggered, disk-full-db1",
                0L, 600_000L, true, 0);
        Notification first = notification("alert.triggered", dedupe);
        pipe(first);
        assertThat(sent()).singleElement().satisfies(n -> assertThat(n.getNotificationId())
                .isEqualTo(first.getNotificationId()));
        List<String> repeats = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Notification n = notification("alert.triggered", dedupe);
            repeats.add(n.getEvent().getEventId());
            pipe(n);
        }
        driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertThat(sent()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        Notification repeatCount = assertThat(sent()).singleElement().actual();
        assertThat(repeatCount.getDigest().getReason()).isEqualTo("deduplicated");
        assertThat(repeatCount.getDigest().getEventIds()).containsExactlyElementsOf(repeats);
        assertThat(repeatCount.getEvent().getSummary()).startsWith("alert.triggered repeated 4 more times");
    }

    @Test
    void aFullGroupGoesOutAtTheNextTickAndDestinationsAreSeparate() {
        NoiseControl grouping = grouping(0, 3_600_000);
        pipe(notification("sync.failed", grouping));
        sent();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Notification n = notification("sync.failed", grouping);
            ids.add(n.getEvent().getEventId());
            pipe(n);
        }
        Notification elsewhere = notification("sync.failed", grouping);
        elsewhere.setDestination(new Destination("int_1/C_other", "int_1", "C_other"));
        pipe(elsewhere);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<Notification> out = sent();
        assertThat(out).hasSize(2);
        assertThat(covered(out.stream().filter(n -> n.getDigest() != null).toList()))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(out).anySatisfy(n -> assertThat(n.getNotificationId()).isEqualTo(elsewhere.getNotificationId()));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithTheReasonAndTheNextRecordIsProcessed() {
        byte[] poison = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        input.pipeInput(DEST.getBytes(StandardCharsets.UTF_8), poison);
        Notification next = notification("sync.failed", grouping(0, 60_000));
        pipe(next);
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(dead.key()).isEqualTo(DEST);
        assertThat(new String(dead.headers().lastHeader(DeliveryHeaders.EXCEPTION_MESSAGE).value(),
                StandardCharsets.UTF_8)).contains("magic byte");
        assertThat(new String(dead.headers().lastHeader(DeliveryHeaders.ORIGINAL_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo("notifications.digest");
        assertThat(sent()).singleElement().satisfies(n -> assertThat(n.getNotificationId())
                .isEqualTo(next.getNotificationId()));
    }

    @Test
    void eachEventWritesItsOwnIdAndTheGroupsIdsAreTombstonedWhenItsDigestGoesOut() {
        NoiseControl grouping = grouping(0, 60_000);
        pipe(notification("sync.failed", grouping));
        sent();
        List<String> held = pipeEvents(5, grouping);
        KeyValueStore<String, String> pending = driver.getKeyValueStore(DigestProcessor.PENDING);
        KeyValueStore<String, GroupState> groups = driver.getKeyValueStore(DigestProcessor.GROUPS);
        assertThat(values(pending)).as("one entry per held event").containsExactlyInAnyOrderElementsOf(held);
        assertThat(values(groups)).singleElement().satisfies(group -> {
            assertThat(group.pendingCount()).isEqualTo(5);
            assertThat(group.oldPendingIds).as("the header holds no ids").isNull();
        });
        List<KeyValue<String, String>> idWrites = changelog(DigestProcessor.PENDING);
        assertThat(idWrites).as("each event wrote only its own id")
                .extracting(kv -> kv.value).containsExactlyElementsOf(held);
        assertThat(idWrites).as("under a short key that does not repeat the destination and group key")
                .extracting(kv -> kv.key).allSatisfy(key -> assertThat(key).hasSizeLessThan(24)
                        .doesNotContain(DEST).doesNotContain(grouping.getGroupKey()));

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(covered(sent())).containsExactlyElementsOf(held);
        assertThat(values(pending)).as("the ids went out with the digest").isEmpty();
        assertThat(values(driver.<String, byte[]>getKeyValueStore(DigestProcessor.LATEST))).isEmpty();
        assertThat(changelog(DigestProcessor.PENDING)).as("a tombstone for each id written")
                .hasSize(held.size()).allSatisfy(kv -> assertThat(kv.value).isNull())
                .extracting(kv -> kv.key).containsExactlyElementsOf(idWrites.stream().map(kv -> kv.key).toList());
    }

    @Test
    void aStageRestoredFromItsChangelogsSendsEachHeldIdOnce() {
        NoiseControl grouping = grouping(0, 60_000);
        pipe(notification("sync.failed", grouping));
        sent();
        List<String> ids = new ArrayList<>(pipeEvents(4, grouping));
        driver.advanceWallClockTime(Duration.ofSeconds(60)); // a digest of these four; the next four are held
        ids.addAll(pipeEvents(4, grouping));
        List<Notification> out = new ArrayList<>(sent());
        assertThat(covered(out)).as("the first digest").containsExactlyElementsOf(ids.subList(0, 4));
        Map<String, List<KeyValue<String, byte[]>>> changelogs = new HashMap<>();
        for (String store : List.of(DigestProcessor.GROUPS, DigestProcessor.PENDING, DigestProcessor.LATEST,
                DigestProcessor.CAPS)) {
            changelogs.put(store, driver.createOutputTopic(changelogTopic(store), new StringDeserializer(),
                    new ByteArrayDeserializer()).readKeyValuesToList());
        }
        driver.close();

        // a new instance whose stores hold only what the changelogs say (as Kafka Streams restores them)
        startAt(START.plus(Duration.ofSeconds(61)));
        Map<String, Deserializer<?>> serdes = Map.of(DigestProcessor.GROUPS,
                JsonSerde.of(GroupState.class).deserializer(), DigestProcessor.PENDING, new StringDeserializer(),
                DigestProcessor.LATEST, new ByteArrayDeserializer(), DigestProcessor.CAPS,
                JsonSerde.of(CapState.class).deserializer());
        changelogs.forEach((store, records) -> {
            KeyValueStore<String, Object> restored = driver.getKeyValueStore(store);
            records.forEach(kv -> restored.put(kv.key, serdes.get(store).deserialize(store, kv.value)));
        });
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        out.addAll(sent());
        assertThat(covered(out)).as("every held id once, none lost, none repeated").containsExactlyElementsOf(ids);
    }

    @Test
    void aGroupWrittenByTheFirstLayoutStillSendsItsHeldIds() {
        Notification held = notification("sync.failed", grouping(0, 60_000));
        Notification alsoHeld = notification("sync.failed", grouping(0, 60_000));
        GroupState old = new GroupState();
        old.groupKey = grouping(0, 60_000).getGroupKey();
        old.groupLabel = "sync.failed, pg-prod";
        old.reason = "grouped";
        old.intervalMillis = 60_000;
        old.lastSentAt = START.toEpochMilli();
        old.dueAt = START.toEpochMilli() + 1_000;
        old.pendingSince = START.toEpochMilli();
        old.oldPendingIds = List.of(held.getEvent().getEventId(), alsoHeld.getEvent().getEventId());
        old.oldTemplate = serializer.serialize("notifications.digest", alsoHeld);
        driver.<String, GroupState>getKeyValueStore(DigestProcessor.GROUPS)
                .put(DEST + '\u001e' + old.groupKey, old);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(sent()).singleElement().satisfies(n -> assertThat(n.getDigest().getEventIds())
                .containsExactly(held.getEvent().getEventId(), alsoHeld.getEvent().getEventId()));
        assertThat(values(driver.<String, String>getKeyValueStore(DigestProcessor.PENDING))).isEmpty();
    }

    // --- helpers

    static String changelogTopic(String store) {
        return "digest-test-" + store + "-changelog";
    }

    /** What the stage wrote to {@code store}'s changelog since the last call (a null value is a tombstone). */
    List<KeyValue<String, String>> changelog(String store) {
        return driver.createOutputTopic(changelogTopic(store), new StringDeserializer(), new StringDeserializer())
                .readKeyValuesToList();
    }

    static <V> List<V> values(KeyValueStore<String, V> store) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            all.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    static NoiseControl grouping(long wait, long interval) {
        return new NoiseControl("group\u001frule\u001fsync.failed\u001fpg-prod", "sync.failed, pg-prod", wait, interval,
                false, 0);
    }

    static Notification notification(String type, NoiseControl control) {
        String eventId = UUID.randomUUID().toString();
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(eventId).setType(type).setWorkspaceId("ws_1")
                .setOccurredAt(START).setLevel(Level.warning).setSummary(type + " " + eventId.substring(0, 8))
                .setAttributes(Map.of("sourceId", "pg-prod")).setPayload(new GenericPayload("{}")).build();
        return Notification.newBuilder().setNotificationId(NotificationIds.of(eventId, DEST)).setChannel("slack")
                .setDestination(new Destination(DEST, "int_1", "C_alerts")).setRoutedAt(START).setRuleId("rule")
                .setEvent(event).setNoiseControl(control).build();
    }

    void pipe(Notification n) {
        input.pipeInput(n.getDestination().getDestinationId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize("notifications.digest", n));
    }

    /** Pipes {@code count} sync.failed events with {@code control}; their ids in order. */
    List<String> pipeEvents(int count, NoiseControl control) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Notification n = notification("sync.failed", control);
            ids.add(n.getEvent().getEventId());
            pipe(n);
        }
        return ids;
    }

    List<Notification> sent() {
        List<Notification> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : slack.readRecordsToList()) {
            Notification n = deserializer.deserialize("notifications.slack.digested", r.value());
            assertThat(r.key()).isEqualTo(n.getDestination().getDestinationId());
            assertThat(n.getNoiseControl()).as("the senders get notifications without noise control").isNull();
            out.add(n);
        }
        return out;
    }

    /** Every event id the messages stand for, each as often as it was sent. */
    static List<String> covered(List<Notification> messages) {
        List<String> ids = new ArrayList<>();
        for (Notification n : messages) {
            ids.addAll(NotificationIds.eventIdsCovered(n));
        }
        return ids;
    }
}
