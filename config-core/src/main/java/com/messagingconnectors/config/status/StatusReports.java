package com.messagingconnectors.config.status;

import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.store.ConfigCodec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/** Sends a {@link StatusReport} on connectors.status: JSON, keyed by integration id, without waiting for the broker. */
public final class StatusReports {
    private static final Logger log = LoggerFactory.getLogger(StatusReports.class);

    private StatusReports() {
    }

    /** A report the producer could not write (after its own retries) is logged: status is a hint, not a delivery. */
    public static void send(Producer<byte[], byte[]> producer, String topic, StatusReport report) {
        producer.send(new ProducerRecord<>(topic, report.integrationId().getBytes(StandardCharsets.UTF_8),
                ConfigCodec.encode(report)), (metadata, error) -> {
                    if (error != null) {
                        log.warn("could not report status {} of integration {}: {}", report.state(),
                                report.integrationId(), error.toString());
                    }
                });
        log.info("status integrationId={} channelId={} state={} reason={}{}", report.integrationId(),
                report.channelId(), report.state(), report.reason(),
                report.count() == null ? "" : " count=" + report.count());
    }
}
