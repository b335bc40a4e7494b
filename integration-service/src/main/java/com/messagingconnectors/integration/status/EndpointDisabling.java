package com.messagingconnectors.integration.status;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.schemas.KafkaClients;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A sender reported that a webhook endpoint must stop receiving (HTTP 410 Gone, or every attempt failed for the
 * configured period): integration-service, the only writer of connectors.config, disables the endpoint and emits an
 * {@code endpoint.disabled} event to platform.events so the workspace can be told through its other integrations.
 * Enabling it again is {@code POST …/channels/{id}:enable}.
 */
@Component
public class EndpointDisabling implements DisposableBean {
    public static final String REASON = "endpoint_disabled";
    public static final String EVENT_TYPE = "endpoint.disabled";
    private static final Logger log = LoggerFactory.getLogger(EndpointDisabling.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IntegrationService integrations;
    private final KafkaProducer<String, PlatformEvent> producer;

    EndpointDisabling(IntegrationService integrations,
                      @Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                      @Value("${connectors.schema-registry.url}") String registryUrl) {
        this.integrations = integrations;
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", registryUrl), false);
        this.producer = KafkaClientMeters.bound(new KafkaProducer<>(props, new StringSerializer(), avro));
    }

    /** Acts on a report once: only while the endpoint is enabled and the report is newer than the last change. */
    void onReport(StatusReport report) {
        if (!REASON.equals(report.reason()) || report.channelId() == null) {
            return;
        }
        IntegrationConfig integration = integrations.find(report.workspaceId(), report.integrationId()).orElse(null);
        if (integration == null || report.at() == null || !report.at().isAfter(integration.updatedAt())) {
            return; // deleted since, or re-enabled by an admin after this report: an old report must not undo that
        }
        ChannelConfig channel = integration.channel(report.channelId()).orElse(null);
        if (channel == null || !channel.enabled()) {
            return;
        }
        integrations.setChannelEnabled(report.workspaceId(), report.integrationId(), report.channelId(), false, null)
                .ifPresent(changed -> announce(changed, channel, report));
    }

    private void announce(IntegrationConfig integration, ChannelConfig channel, StatusReport report) {
        String summary = "Webhook endpoint " + channel.name() + " of integration " + integration.name()
                + " was disabled: " + report.message();
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(EVENT_TYPE)
                .setWorkspaceId(integration.workspaceId()).setOccurredAt(report.at()).setLevel(Level.warning)
                .setSummary(summary.length() > 1000 ? summary.substring(0, 999) + "…" : summary)
                .setSource("integration-service")
                .setPayload(new GenericPayload(JSON.createObjectNode().put("integrationId", integration.id())
                        .put("endpointId", channel.id()).put("reason", report.message()).toString()))
                .build();
        producer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, integration.workspaceId(), event), (m, e) -> {
            if (e != null) {
                log.error("could not emit {} for integration {}: {}", EVENT_TYPE, integration.id(), e.getMessage());
            }
        });
        log.info("endpoint disabled workspace={} integration={} endpoint={} eventId={}", integration.workspaceId(),
                integration.id(), channel.id(), event.getEventId());
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
