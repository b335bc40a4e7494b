package com.messagingconnectors.integration.console;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The last few events of each workspace on platform.events, for the routing preview's "pick a recent one". Every
 * instance reads the topic's tail on its own (no consumer group, no commits): at start the last {@link #LOOKBACK}
 * records of each partition, then whatever arrives. Bounded: {@link #PER_WORKSPACE} events for each of at most
 * {@link #MAX_WORKSPACES} workspaces (the least recently active is forgotten). A record that cannot be read is
 * skipped; the router is the one that dead-letters it.
 */
@Component
class RecentEvents implements DisposableBean {
    static final int PER_WORKSPACE = 10;
    static final int MAX_WORKSPACES = 10_000;
    static final int LOOKBACK = 500;
    private static final Logger log = LoggerFactory.getLogger(RecentEvents.class);

    /** One recent event, as the preview form takes it. */
    record Recent(String eventId, String type, String level, String summary, Instant occurredAt, String payload) {
    }

    private final Map<String, Deque<Recent>> byWorkspace = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Recent>> eldest) {
            return size() > MAX_WORKSPACES;
        }
    };
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer<PlatformEvent> events = new AvroDeserializer<>();
    private final Thread thread;
    private volatile boolean running = true;

    RecentEvents(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                 @Value("${connectors.schema-registry.url}") String registryUrl) {
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-recent-events-" + ProcessHandle.current().pid());
        // A preview can offer an event half a second after it arrived. Fetched as it comes, this reader cost the
        // broker and this service a fetch per event when events came one at a time.
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        events.configure(Map.of("schema.registry.url", registryUrl), false);
        this.thread = Thread.ofPlatform().daemon().name("console-recent-events").start(this::run);
    }

    /** The workspace's recent events, newest first. */
    List<Recent> of(String workspaceId) {
        synchronized (byWorkspace) {
            Deque<Recent> recent = byWorkspace.get(workspaceId);
            return recent == null ? List.of() : List.copyOf(recent);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.endOffsets(partitions).forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - LOOKBACK)));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    remember(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("recent events for the routing preview stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() throws WakeupException {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.PLATFORM_EVENTS, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            try {
                Thread.sleep(2_000); // the topic does not exist yet: look again later
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private void remember(ConsumerRecord<byte[], byte[]> record) {
        PlatformEvent event;
        try {
            event = events.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.debug("a record of {} skipped for the recent events: {}", record.topic(), e.toString());
            return; // not an event (or the registry is not reachable): nothing to preview
        }
        if (event == null) {
            return;
        }
        ObjectNode json = EventJson.toEventJson(event);
        JsonNode payload = json.path("payload");
        Recent recent = new Recent(event.getEventId(), event.getType(), event.getLevel().name(), event.getSummary(),
                event.getOccurredAt(), payload.isMissingNode() ? "{}" : payload.toString());
        synchronized (byWorkspace) {
            Deque<Recent> list = byWorkspace.computeIfAbsent(event.getWorkspaceId(), ws -> new ArrayDeque<>());
            list.removeIf(r -> r.eventId().equals(recent.eventId()));
            list.addFirst(recent);
            while (list.size() > PER_WORKSPACE) {
                list.removeLast();
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5));
    }
}
