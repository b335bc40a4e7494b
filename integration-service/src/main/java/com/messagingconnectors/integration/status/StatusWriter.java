package com.messagingconnectors.integration.status;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.StatusReport;
import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.store.ConfigCodec;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything integration-service writes as an integration's status: reports on connectors.status (connected,
 * disconnected), the stored facts that go with them (a revoked connection, a disabled endpoint) and the
 * {@code endpoint.disabled} event. Connectors and {@link EndpointDisabling} decide; this writes.
 */
@Component
public class StatusWriter implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    private final IntegrationService integrations;
    private final KafkaProducer<String, byte[]> statusProducer;
    private final KafkaProducer<String, PlatformEvent> eventProducer;
    private final String topic;
    private final Clock clock = Clock.systemUTC();

    StatusWriter(IntegrationService integrations, @Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                 @Value("${connectors.status.topic}") String topic,
                 @Value("${connectors.schema-registry.url}") String registryUrl) {
        this.integrations = integrations;
        Properties props = KafkaClients.properties(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Properties statusProps = new Properties();
        statusProps.putAll(props);
        statusProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        this.statusProducer = KafkaClientMeters.bound(
                new KafkaProducer<>(statusProps, new StringSerializer(), new ByteArraySerializer()));
        AvroSerializer<PlatformEvent> avro = new AvroSerializer<>();
        avro.configure(Map.of("schema.registry.url", registryUrl), false);
        this.eventProducer = KafkaClientMeters.bound(new KafkaProducer<>(props, new StringSerializer(), avro));
        this.topic = topic;
    }

    /** The integration works (again): a connect flow finished. */
    public void connected(String workspaceId, String integrationId, String message) {
        report(new StatusReport(workspaceId, integrationId, null, StatusReport.CONNECTED, "connected", message,
                clock.instant()));
    }

    /**
     * The provider took the integration's access away: {@code facts} (what its sender reads, e.g. Slack's connection
     * state) are stored on the integration, and the integration is reported disconnected.
     */
    public void disconnected(IntegrationConfig integration, Map<String, String> facts, String message) {
        integrations.saveCredentials(integration.workspaceId(), integration.id(), Map.of(), facts);
        report(new StatusReport(integration.workspaceId(), integration.id(), null, StatusReport.DISCONNECTED,
                "token_revoked", message, clock.instant()));
    }

    /** Disables the endpoint {@code report} names and tells the workspace through its other integrations. */
    void endpointDisabled(StatusReport report, ChannelConfig channel) {
        integrations.setChannelEnabled(report.workspaceId(), report.integrationId(), report.channelId(), false, null)
                .ifPresent(changed -> announce(changed, channel, report));
    }

    /** Waits for the broker's acknowledgement, so a provider is answered 2xx only after the report is safe. */
    private void report(StatusReport report) {
        try {
            statusProducer.send(new ProducerRecord<>(topic, report.integrationId(), ConfigCodec.encode(report)))
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting status", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish on " + topic + ": " + e.getMessage(), e);
        }
    }

    private void announce(IntegrationConfig integration, ChannelConfig channel, StatusReport report) {
        String summary = "Webhook endpoint " + channel.name() + " of integration " + integration.name()
                + " was disabled: " + report.message();
        PlatformEvent event = PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setType(EndpointDisabling.EVENT_TYPE).setWorkspaceId(integration.workspaceId())
                .setOccurredAt(report.at()).setLevel(Level.warning)
                .setSummary(summary.length() > 1000 ? summary.substring(0, 999) + "…" : summary)
                .setSource("integration-service")
                .setPayload(new GenericPayload(JSON.createObjectNode().put("integrationId", integration.id())
                        .put("endpointId", channel.id()).put("reason", report.message()).toString()))
                .build();
        eventProducer.send(new ProducerRecord<>(Topics.PLATFORM_EVENTS, integration.workspaceId(), event), (m, e) -> {
            if (e != null) {
                log.error("could not emit {} for integration {}: {}", EndpointDisabling.EVENT_TYPE, integration.id(),
                        e.getMessage());
            }
        });
        log.info("endpoint disabled workspace={} integration={} endpoint={} eventId={}", integration.workspaceId(),
                integration.id(), channel.id(), event.getEventId());
    }

    @Override
    public void destroy() {
        statusProducer.close();
        eventProducer.close();
    }
}
