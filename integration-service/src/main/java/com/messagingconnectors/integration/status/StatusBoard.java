package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.integration.api.Dtos.StatusView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Folds what senders report on connectors.status into each integration's state: connected / disconnected /
 * unhealthy, the last error and its time, and the time of the last successful delivery. Every instance reads the
 * whole topic (no consumer group), like the config view.
 */
@Component
public class StatusBoard implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    private final Map<String, StatusView> byIntegration = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final String topic;
    private volatile boolean running = true;

    StatusBoard(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                @Value("${connectors.status.topic}") String topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().daemon().name("connectors-status-board").start(this::run);
    }

    /** The integration's status; "connected" until a sender says otherwise. */
    public StatusView status(String integrationId) {
        return byIntegration.getOrDefault(integrationId, new StatusView(StatusReport.CONNECTED, null, null, null));
    }

    void apply(StatusReport report) {
        byIntegration.compute(report.integrationId(), (id, old) -> {
            StatusView was = old == null ? new StatusView(StatusReport.CONNECTED, null, null, null) : old;
            if (StatusReport.DELIVERED.equals(report.state())) {
                Instant last = was.lastDeliveredAt() == null || report.at().isAfter(was.lastDeliveredAt())
                        ? report.at() : was.lastDeliveredAt();
                return new StatusView(was.state(), was.lastError(), was.lastErrorAt(), last);
            }
            boolean problem = !StatusReport.CONNECTED.equals(report.state());
            return new StatusView(report.state(), problem ? report.message() : was.lastError(),
                    problem ? report.at() : was.lastErrorAt(), was.lastDeliveredAt());
        });
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        apply(ConfigCodec.decode(record.value(), StatusReport.class));
                    } catch (Exception e) {
                        log.warn("skipping unreadable connectors.status record at offset {}: {}", record.offset(),
                                e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("connectors.status reader stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
