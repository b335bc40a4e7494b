package com.messagingconnectors.digest;

import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The digest stage's one processor. Input: notifications of routes with noise control (key = destination id, so a
 * destination's groups and its cap live in one task). Output: what the senders get, on their usual topics.
 *
 * <ul>
 *   <li>A new group: its first event goes out at once (or is held for the group's wait).</li>
 *   <li>Later events of an open group are held and go out as one digest per interval; a group that sent nothing
 *       for a whole interval is closed, so its next event again goes out at once.</li>
 *   <li>A destination's cap counts every message it is sent per minute; an event beyond it is held in the
 *       destination's "capped" group (or stays in its own group) and goes out in the next digest the cap allows.
 *       Nothing is dropped: every event id is in exactly one message.</li>
 * </ul>
 * Windows run on the wall clock, not on stream time: a partition that goes quiet has no stream time advancing, and
 * its held events must still go out. A late event (old timestamp) is simply folded into its group's next message.
 */
final class DigestProcessor implements Processor<byte[], byte[], byte[], Outgoing> {
    static final String GROUPS = "digest-groups";
    static final String PENDING = "digest-pending";
    static final String LATEST = "digest-latest";
    static final String CAPS = "digest-caps";
    private static final Logger log = LoggerFactory.getLogger(DigestProcessor.class);
    private static final char SEPARATOR = '\u001e';
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final long MINUTE = 60_000;

    private final DigestSettings settings;
    private final Map<String, ?> serdeConfig;
    private final String applicationId;
    private ProcessorContext<byte[], Outgoing> context;
    private KeyValueStore<String, GroupState> groups;
    /** A group's pending event ids, one entry per event: key {@code token␞sequence} ({@link GroupState#token}). */
    private KeyValueStore<String, String> pending;
    /** A group's latest pending notification (the bytes as read): what its digest is built from. */
    private KeyValueStore<String, byte[]> latest;
    private KeyValueStore<String, CapState> caps;
    private AvroDeserializer<Notification> deserializer;
    private AvroSerializer<Notification> serializer;

    DigestProcessor(DigestSettings settings, Map<String, ?> serdeConfig, String applicationId) {
        this.settings = settings;
        this.serdeConfig = serdeConfig;
        this.applicationId = applicationId;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
        this.groups = context.getStateStore(GROUPS);
        this.pending = context.getStateStore(PENDING);
        this.latest = context.getStateStore(LATEST);
        this.caps = context.getStateStore(CAPS);
        this.deserializer = new AvroDeserializer<>();
        this.deserializer.configure(serdeConfig, false);
        this.serializer = new AvroSerializer<>();
        this.serializer.configure(serdeConfig, false);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::sendDue);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Optional<Notification> read = read(record);
        if (read.isEmpty()) {
            return;
        }
        Notification notification = read.get();
        long now = context.currentSystemTimeMs();
        NoiseControl control = notification.getNoiseControl();
        if (control == null) {
            send(notification, now);
            return;
        }
        String destination = notification.getDestination().getDestinationId();
        boolean capOnly = control.getGroupKey() == null;
        if (capOnly && takeCap(destination, control.getCapPerMinute(), now)) {
            send(notification, now);
            return;
        }
        String groupKey = capOnly ? "capped" + SEPARATOR + notification.getEvent().getType() : control.getGroupKey();
        String storeKey = destination + SEPARATOR + groupKey;
        GroupState group = moveOldLayout(storeKey, groups.get(storeKey));
        if (group == null) {
            group = open(groupKey, notification, control, capOnly, now);
            if (!capOnly && control.getWaitMillis() == 0 && takeCap(destination, control.getCapPerMinute(), now)) {
                send(notification, now);
                groups.put(storeKey, group);
                return;
            }
            group.dueAt = capOnly || control.getWaitMillis() == 0 ? nextMinute(now) : now + control.getWaitMillis();
        } else if (!group.hasPending()) {
            group.dueAt = Math.max(now, group.lastSentAt + group.intervalMillis);
        }
        group.capPerMinute = control.getCapPerMinute();
        // written per event: the header (small, bounded), this event's id and the latest notification
        long seq = group.add(notification.getEvent().getOccurredAt().toEpochMilli(),
                notification.getEvent().getSummary(), now, settings.samples());
        pending.put(idKey(group, seq), notification.getEvent().getEventId());
        latest.put(storeKey, record.value());
        if (group.pendingCount() >= settings.maxIdsPerDigest()) {
            group.dueAt = now; // full: out with the next tick, cap permitting
        }
        groups.put(storeKey, group);
    }

    private static GroupState open(String groupKey, Notification notification, NoiseControl control, boolean capOnly,
                                   long now) {
        GroupState group = new GroupState();
        group.groupKey = groupKey;
        group.groupLabel = capOnly ? notification.getEvent().getType() : control.getGroupLabel();
        group.reason = capOnly ? "capped" : control.getDeduplicated() ? "deduplicated" : "grouped";
        group.intervalMillis = capOnly ? MINUTE : control.getIntervalMillis();
        group.lastSentAt = now;
        group.token = newToken();
        return group;
    }

    /**
     * A short random name for a group's pending-id keys: 13 characters instead of repeating the destination and
     * group key (often over 100) in every held event's key. Random, not counted, so nothing has to be stored to
     * hand out the next one; 63 bits make a clash between two open groups of one task negligible.
     */
    private static String newToken() {
        return Long.toString(TOKENS.nextLong() & Long.MAX_VALUE, Character.MAX_RADIX);
    }

    /** Wall-clock punctuation: sends every due group the cap allows, closes groups that stayed quiet. */
    private void sendDue(long now) {
        List<KeyValue<String, GroupState>> open = new ArrayList<>();
        try (KeyValueIterator<String, GroupState> all = groups.all()) {
            all.forEachRemaining(open::add);
        }
        for (KeyValue<String, GroupState> entry : open) {
            GroupState group = moveOldLayout(entry.key, entry.value);
            if (group.hasPending() && group.dueAt <= now) {
                String destination = entry.key.substring(0, entry.key.indexOf(SEPARATOR));
                if (takeCap(destination, group.capPerMinute, now)) {
                    List<String> ids = takePending(group);
                    Optional<Notification> last = decode(latest.get(entry.key));
                    latest.delete(entry.key);
                    last.filter(n -> !ids.isEmpty()).ifPresent(n -> send(DigestMessages.of(group, ids, n, now), now));
                    group.sent(now);
                } else {
                    group.dueAt = nextMinute(now);
                }
                groups.put(entry.key, group);
            } else if (!group.hasPending() && now >= group.lastSentAt + group.intervalMillis) {
                groups.delete(entry.key);
            }
        }
        forgetOldMinutes(now);
    }

    private static String idKey(GroupState group, long seq) {
        return group.token + SEPARATOR + seq;
    }

    /** The pending ids of {@code group}, in arrival order, deleted from the store (tombstones on its changelog). */
    private List<String> takePending(GroupState group) {
        List<String> ids = new ArrayList<>(group.pendingCount());
        for (long seq = group.firstSeq; seq < group.nextSeq; seq++) {
            String key = idKey(group, seq);
            String id = pending.get(key);
            if (id == null) {
                log.error("pending event id {} is missing from {}: it cannot be sent", key, PENDING);
                continue;
            }
            ids.add(id);
            pending.delete(key);
        }
        return ids;
    }

    /**
     * A header written by the first layout (every pending id and the latest notification in the group's one value,
     * no token) in the current one: its ids and notification move to their stores, so an upgrade loses no held event.
     */
    private GroupState moveOldLayout(String storeKey, GroupState group) {
        if (group == null || group.token != null) {
            return group;
        }
        group.token = newToken();
        if (group.oldPendingIds != null) {
            for (String id : group.oldPendingIds) {
                pending.put(idKey(group, group.nextSeq++), id);
            }
        }
        if (group.oldTemplate != null) {
            latest.put(storeKey, group.oldTemplate);
        }
        group.oldPendingIds = null;
        group.oldTemplate = null;
        groups.put(storeKey, group);
        return group;
    }

    /** Counts one message to {@code destination} if its cap (0: none) allows it this minute. */
    private boolean takeCap(String destination, int capPerMinute, long now) {
        if (capPerMinute <= 0) {
            return true;
        }
        CapState state = caps.get(destination);
        long minute = now - now % MINUTE;
        if (state == null || state.minuteStart != minute) {
            state = new CapState();
            state.minuteStart = minute;
        }
        if (state.sent >= capPerMinute) {
            return false;
        }
        state.sent++;
        caps.put(destination, state);
        return true;
    }

    private void forgetOldMinutes(long now) {
        long minute = now - now % MINUTE;
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, CapState> all = caps.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.minuteStart < minute) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(caps::delete);
    }

    private static long nextMinute(long now) {
        return now - now % MINUTE + MINUTE;
    }

    /** To the senders' topic for the stage's output, without the noise control it has been through. */
    private void send(Notification message, long now) {
        Notification notification = message.getNoiseControl() == null ? message
                : Notification.newBuilder(message).setNoiseControl(null).build();
        String topic = Topics.digested(notification.getChannel());
        byte[] key = notification.getDestination().getDestinationId().getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<>(key, new Outgoing(topic, serializer.serialize(topic, notification)), now));
        log.debug("sent notificationId={} destination={} digest={}", notification.getNotificationId(),
                notification.getDestination().getDestinationId(),
                notification.getDigest() == null ? 0 : notification.getDigest().getCount());
    }

    /** The notification in {@code record}; a record that is not one goes to the dead-letter topic with the reason. */
    private Optional<Notification> read(Record<byte[], byte[]> record) {
        try {
            Notification notification = deserializer.deserialize(Topics.DIGEST_INPUT, record.value());
            if (notification == null) {
                throw new SerializationException("record has no value (null)");
            }
            return Optional.of(notification);
        } catch (SerializationException e) {
            if (isTransient(e)) {
                throw e; // the registry is down, not the record's fault: the task fails and the record is read again
            }
            deadLetter(record, e);
            return Optional.empty();
        }
    }

    private Optional<Notification> decode(byte[] template) {
        try {
            return Optional.ofNullable(deserializer.deserialize(Topics.DIGEST_INPUT, template));
        } catch (SerializationException e) {
            if (isTransient(e)) {
                throw e;
            }
            log.error("a held notification can no longer be read, its group is dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, Exception reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        RecordMetadata where = context.recordMetadata().orElse(null);
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>(
                where == null ? Topics.DIGEST_INPUT : where.topic(), where == null ? -1 : where.partition(),
                where == null ? -1 : where.offset(), record.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                record.key(), record.value(), headers, Optional.empty());
        DeliveryHeaders.addReason(headers, original, reason, applicationId);
        context.forward(new Record<>(record.key(), new Outgoing(Topics.DIGEST_INPUT_DLQ, record.value()),
                record.timestamp(), headers));
        log.warn("dead-lettered a record of {} to {}: {}", original.topic(), Topics.DIGEST_INPUT_DLQ,
                reason.getMessage());
    }

    static boolean isTransient(SerializationException e) {
        return e.getCause() instanceof SchemaRegistryException registry && !registry.isNotFound()
                && (registry.httpStatus() == 0 || registry.httpStatus() >= 500);
    }
}
