package com.messagingconnectors.config.group;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A group member in a JVM of its own, so a test can kill it with SIGKILL: it never leaves its group, like a service
 * whose machine or broker went down with it. Prints {@code assigned N} whenever it holds N partitions.
 * Arguments: bootstrap servers, group, topic, instance id ("" for none), group protocol.
 * Also how the tests make members in their own JVM ({@link #member}, {@link #join}).
 */
public final class GroupMemberProcess {
    public static void main(String[] args) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(args[0], args[1],
                Map.of(GroupMembership.INSTANCE_ID_VARIABLE, args[3], GroupMembership.PROTOCOL_VARIABLE, args[4]))) {
            join(consumer, args[2], held -> {
                System.out.println("assigned " + held.partitionCount());
                System.out.flush();
            });
            while (true) {
                consumer.poll(Duration.ofMillis(100));
            }
        }
    }

    /** A member of {@code group} with the settings {@link GroupMembership} gives for {@code environment}. */
    static KafkaConsumer<byte[], byte[]> member(String bootstrapServers, String group, Map<String, String> environment) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(GroupMembership.settings(group, environment));
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Subscribes {@code consumer} to {@code topic}; returns what it holds, kept by its rebalance listener, which also
     * calls {@code onAssigned} after each assignment.
     */
    static GroupAssignment join(KafkaConsumer<byte[], byte[]> consumer, String topic, Consumer<GroupAssignment> onAssigned) {
        GroupAssignment held = new GroupAssignment();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                held.revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                held.assigned(partitions);
                onAssigned.accept(held);
            }
        });
        return held;
    }
}
