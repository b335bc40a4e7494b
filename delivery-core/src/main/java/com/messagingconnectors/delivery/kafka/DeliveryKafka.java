package com.messagingconnectors.delivery.kafka;

import com.messagingconnectors.config.group.GroupAssignment;
import com.messagingconnectors.config.group.GroupMembership;
import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.schemas.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Every Kafka client a sender's delivery uses, and all their settings: the group consumer of the channel topic and
 * its retry topics (with its rebalance listener), the producer that writes retries, dead letters, delivered ids and
 * status reports, and the reader of the delivered log. Connection and security settings come from
 * {@link KafkaClients}; how the consumer joins and leaves its group from {@link GroupMembership} (static membership,
 * leave on close); what it holds is kept in a {@link GroupAssignment} for readiness. Every client's own metrics are
 * bound to Micrometer ({@link KafkaClientMeters}).
 */
public final class DeliveryKafka {
    private final String bootstrapServers;
    private final String group;
    private final GroupAssignment assignment = new GroupAssignment();

    /** What the poll loop does when partitions move (called on the poll thread). */
    public interface Rebalance {
        /** Commit what is done of these partitions and forget them: another instance owns them now. */
        void revoked(Collection<TopicPartition> partitions);

        /** These partitions are ours now; their records arrive with the next polls. */
        default void assigned(Collection<TopicPartition> partitions) {
        }
    }

    /** @param group the consumer group, {@code <channel>-sender} */
    public DeliveryKafka(String bootstrapServers, String group) {
        this.bootstrapServers = bootstrapServers;
        this.group = group;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String group() {
        return group;
    }

    /** The partitions the group consumer holds, fed by its rebalance listener (see {@link #subscribe}). */
    public GroupAssignment assignment() {
        return assignment;
    }

    /**
     * The group consumer: read_committed (the router's fan-out is transactional), manual commits of what is done
     * only, from the earliest offset when the group is new.
     */
    public KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = KafkaClients.properties(bootstrapServers);
        GroupMembership.apply(p, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return KafkaClientMeters.bound(new KafkaConsumer<>(p));
    }

    /**
     * Subscribes {@code consumer} (on the thread that polls it) to {@code topics}, telling {@link #assignment()}
     * and then {@code rebalance} (lost partitions count as revoked).
     */
    public void subscribe(KafkaConsumer<byte[], byte[]> consumer, List<String> topics, Rebalance rebalance) {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assignment.revoked(partitions);
                rebalance.revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignment.assigned(partitions);
                rebalance.assigned(partitions);
            }
        });
    }

    /** Closes the group consumer gracefully: it leaves the group, so its partitions move now, not after a timeout. */
    public void close(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
        consumer.close(GroupMembership.close(timeout));
    }

    /** Idempotent, acks=all: a record is done only once the broker has it in a retry or dead-letter topic. */
    public Producer<byte[], byte[]> producer() {
        Properties p = KafkaClients.properties(bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-parking");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return KafkaClientMeters.bound(new KafkaProducer<>(p));
    }

    /**
     * Reads all of {@code connectors.alert-messages} with no group. Unlike the delivered log it is fetched at once: an
     * alert may resolve on another instance a moment after it was posted.
     */
    public KafkaConsumer<String, byte[]> alertMessagesReader(String topic) {
        Properties p = KafkaClients.properties(bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + topic + "-reader");
        return KafkaClientMeters.bound(new KafkaConsumer<>(p));
    }

    /** Reads the whole delivered log ({@code topic}) with no group: every instance follows all of it. */
    public KafkaConsumer<String, byte[]> deliveredLogReader(String topic) {
        Properties p = KafkaClients.properties(bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, topic + "-reader");
        // Other instances' deliveries may arrive a quarter second late (dedupe of replays and late retries does not
        // need them sooner); fetching them in larger batches halved what following the log cost this sender at
        // thousands of deliveries per second (one small fetch per delivery before).
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 250);
        return KafkaClientMeters.bound(new KafkaConsumer<>(p));
    }
}
