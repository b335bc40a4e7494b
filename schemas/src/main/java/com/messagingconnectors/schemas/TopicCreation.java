package com.messagingconnectors.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The one place that creates topics: what a channel needs ({@link #channelTopics}) and creating what is missing
 * ({@link #createMissing}), used by deploy's {@code CreateTopics} (every topic, for ./local-stack) and by each sender at
 * start (its own channel's topics, so a sender also runs against a broker nobody prepared).
 */
public final class TopicCreation {
    private static final Map<String, String> COMPACTED =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    /** How long a delivered log keeps an id: as long as a sender remembers it by default (every id is unique). */
    public static final Duration DELIVERED_RETENTION = Duration.ofDays(7);
    private static final Map<String, String> DELIVERED_LOG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(DELIVERED_RETENTION.toMillis()));

    /**
     * How long the chat message of an alert is remembered: an alert that resolves later is shown as a new message.
     * Chat senders keep it as long in memory ({@code connectors.delivery.alert-messages-retention}).
     */
    public static final Duration ALERT_MESSAGES_RETENTION = Duration.ofDays(14);
    private static final Map<String, String> ALERT_MESSAGES_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(ALERT_MESSAGES_RETENTION.toMillis()));

    /** Partition counts of one channel's topics. */
    public record ChannelPartitions(int notifications, int retry, int deadLetter, short replication) {
        public static ChannelPartitions uniform(int partitions, short replication) {
            return new ChannelPartitions(partitions, partitions, partitions, replication);
        }
    }

    private TopicCreation() {
    }

    /**
     * A channel's topics: {@code notifications.<channel>}, the digest stage's output to it (partitioned like it), its
     * retry topics 1..{@code retrySteps}, the delivered log
     * (partitioned like the channel topic; compacted, and its ids deleted after {@link #DELIVERED_RETENTION}, or it would
     * grow forever: every notification id is new) and the dead-letter topic.
     */
    public static List<NewTopic> channelTopics(String channel, int retrySteps, ChannelPartitions partitions) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.notifications(channel), partitions.notifications(), partitions.replication()));
        topics.add(new NewTopic(Topics.digested(channel), partitions.notifications(), partitions.replication()));
        for (int step = 1; step <= retrySteps; step++) {
            topics.add(new NewTopic(Topics.retry(channel, step), partitions.retry(), partitions.replication()));
        }
        topics.add(new NewTopic(Topics.delivered(channel), partitions.notifications(), partitions.replication())
                .configs(DELIVERED_LOG));
        topics.add(new NewTopic(Topics.deadLetter(channel), partitions.deadLetter(), partitions.replication()));
        return topics;
    }

    /**
     * {@code connectors.alert-messages}: compacted (one record per destination and alert) and deleted after
     * {@link #ALERT_MESSAGES_RETENTION}, so it stays small; every chat sender instance reads all of it.
     */
    public static NewTopic alertMessages(int partitions, short replication) {
        return new NewTopic(Topics.ALERT_MESSAGES, partitions, replication).configs(ALERT_MESSAGES_CONFIG);
    }

    /** A compacted topic (configuration, schemas). */
    public static NewTopic compacted(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication).configs(COMPACTED);
    }

    /**
     * Creates the topics of {@code plan} that do not exist yet (idempotent: existing topics are left as they are, one
     * created meanwhile by someone else is fine); returns the names that were missing.
     */
    public static Set<String> createMissing(String bootstrapServers, Collection<NewTopic> plan) {
        Properties properties = KafkaClients.properties(bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = plan.stream().filter(t -> !existing.contains(t.name())).toList();
            Set<String> created = new TreeSet<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
                created.add(entry.getKey());
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers, e);
        }
    }
}
