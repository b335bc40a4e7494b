package com.messagingconnectors.integration.slack;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.schemas.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes what integration-service learns from Slack (connected, app uninstalled) on connectors.status. */
@Component
class SlackStatusReporter implements DisposableBean {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    SlackStatusReporter(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                        @Value("${connectors.status.topic}") String topic) {
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        this.producer = KafkaClientMeters.bound(
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()));
        this.topic = topic;
    }

    /** Waits for the broker's acknowledgement, so Slack is answered 2xx only after the report is safe. */
    void report(StatusReport report) {
        try {
            producer.send(new ProducerRecord<>(topic, report.integrationId(), ConfigCodec.encode(report)))
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting status", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
