package com.messagingconnectors.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import com.messagingconnectors.schemas.KafkaClients;
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

    /** {@code notifications.<channel>.retry-<step>}, as delivery-core's engine names them. */
    static String retryTopic(String channel, int step) {
        return Topics.notifications(channel) + ".retry-" + step;
    }

    /** The full topic plan, partition counts read from {@code env}. */
    static List<NewTopic> plan(Map<String, String> env) {
        int platformEvents = intFrom(env, "PLATFORM_EVENTS_PARTITIONS", 6);
        int notifications = intFrom(env, "NOTIFICATION_PARTITIONS", 6);
        int retry = intFrom(env, "RETRY_PARTITIONS", 6);
        int dlq = intFrom(env, "DLQ_PARTITIONS", 1);
        int status = intFrom(env, "CONNECTORS_STATUS_PARTITIONS", 3);
        short replication = (short) intFrom(env, "REPLICATION_FACTOR", 1);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.PLATFORM_EVENTS, platformEvents, replication));
        topics.add(new NewTopic(Topics.PLATFORM_EVENTS_DLQ, dlq, replication));
        for (String channel : Topics.CHANNELS) {
            topics.add(new NewTopic(Topics.notifications(channel), notifications, replication));
            for (int step = 1; step <= RETRY_STEPS; step++) {
                topics.add(new NewTopic(retryTopic(channel, step), retry, replication));
            }
            // the delivered-id log the senders dedupe on
            topics.add(new NewTopic(Topics.notifications(channel) + ".delivered", notifications, replication)
                    .configs(compacted));
            topics.add(new NewTopic(Topics.deadLetter(channel), dlq, replication));
        }
        // config and schemas are read start to end by every reader: one partition keeps their order total
        topics.add(new NewTopic(Topics.CONNECTORS_CONFIG, 1, replication).configs(compacted));
        topics.add(new NewTopic(Topics.CONNECTORS_STATUS, status, replication));
        topics.add(new NewTopic(Topics.SCHEMAS, 1, replication).configs(compacted));
        return topics;
    }

    /** Creates the missing topics of the plan; returns the names it created. */
    static Set<String> createMissing(String bootstrapServers, List<NewTopic> plan) throws Exception {
        Properties props = KafkaClients.properties(bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = plan.stream().filter(t -> !existing.contains(t.name())).toList();
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // created meanwhile by someone else
                        throw new IllegalStateException("could not create " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return missing.stream().map(NewTopic::name).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
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
