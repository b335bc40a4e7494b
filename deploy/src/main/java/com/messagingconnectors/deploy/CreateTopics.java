package com.messagingconnectors.deploy;

import com.messagingconnectors.config.model.IntegrationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.NewTopic;

import com.messagingconnectors.schemas.TopicCreation;
import com.messagingconnectors.schemas.Topics;

/**
 * Creates every topic the system uses, if missing (idempotent: existing topics are left alone). Used by
 * ./local-stack; partition counts come from the environment so a bigger setup can ask for more.
 *
 * <pre>
 * java -cp ... com.messagingconnectors.deploy.CreateTopics [--bootstrap-servers 127.0.0.1:9092]
 * env: PLATFORM_EVENTS_PARTITIONS (6), NOTIFICATION_PARTITIONS (6), RETRY_PARTITIONS (6), DLQ_PARTITIONS (1),
 *      CONNECTORS_STATUS_PARTITIONS (3), REPLICATION_FACTOR (1)
 * </pre>
 */
public final class CreateTopics {

    private CreateTopics() {
    }

    /** Retry topics per channel: one per step of the default schedule after the first attempt (5 s … 10 h). */
    static final int RETRY_STEPS = 7;

    static String retryTopic(String channel, int step) {
        return Topics.retry(channel, step);
    }

    /** The full topic plan, partition counts read from {@code env}. */
    static List<NewTopic> plan(Map<String, String> env) {
        int platformEvents = intFrom(env, "PLATFORM_EVENTS_PARTITIONS", 6);
        int notifications = intFrom(env, "NOTIFICATION_PARTITIONS", 6);
        int retry = intFrom(env, "RETRY_PARTITIONS", 6);
        int dlq = intFrom(env, "DLQ_PARTITIONS", 1);
        int status = intFrom(env, "CONNECTORS_STATUS_PARTITIONS", 3);
        short replication = (short) intFrom(env, "REPLICATION_FACTOR", 1);

        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.PLATFORM_EVENTS, platformEvents, replication));
        topics.add(new NewTopic(Topics.PLATFORM_EVENTS_DLQ, dlq, replication));
        for (String channel : IntegrationKind.IDS) {
            topics.addAll(TopicCreation.channelTopics(channel, RETRY_STEPS,
                    new TopicCreation.ChannelPartitions(notifications, retry, dlq, replication)));
        }
        // the digest stage's input (router → digest-service, grouped/deduplicated/capped routes) and its dead letters.
        // Its internal topics (state-store changelogs, repartition topics: digest-service-…-changelog) are not in the
        // plan: Kafka Streams creates them itself through the admin client when it starts, also where the broker
        // refuses auto-creation (auto.create.topics.enable=false), with DIGEST_REPLICATION_FACTOR copies.
        topics.add(new NewTopic(Topics.DIGEST_INPUT, notifications, replication));
        topics.add(new NewTopic(Topics.DIGEST_INPUT_DLQ, dlq, replication));
        // config and schemas are read start to end by every reader: one partition keeps their order total
        topics.add(TopicCreation.compacted(Topics.CONNECTORS_CONFIG, 1, replication));
        topics.add(new NewTopic(Topics.CONNECTORS_STATUS, status, replication));
        // chat messages of alerts, for alert.resolved (small: every chat sender instance reads all of it)
        topics.add(TopicCreation.alertMessages(status, replication));
        topics.add(TopicCreation.compacted(Topics.SCHEMAS, 1, replication));
        return topics;
    }

    /** Creates the missing topics of the plan; returns the names it created. */
    static Set<String> createMissing(String bootstrapServers, List<NewTopic> plan) {
        return TopicCreation.createMissing(bootstrapServers, plan);
    }

    public static void main(String[] args) throws Exception {
        String bootstrapServers = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
                bootstrapServers = args[++i];
            } else {
                System.err.println("usage: CreateTopics [--bootstrap-servers host:port]");
                System.exit(2);
            }
        }
        List<NewTopic> plan = plan(System.getenv());
        Set<String> created = createMissing(bootstrapServers, plan);
        System.out.printf("topics: %d in plan, %d created%s%n", plan.size(), created.size(),
                created.isEmpty() ? " (all existed)" : ": " + String.join(", ", created));
    }

    private static int intFrom(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive integer, got '" + value + "'");
        }
    }
}
