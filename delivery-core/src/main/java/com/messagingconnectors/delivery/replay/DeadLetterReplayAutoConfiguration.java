package com.messagingconnectors.delivery.replay;

import com.messagingconnectors.config.observe.KafkaClientMeters;
import com.messagingconnectors.config.auth.ApiRoutes;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.schemas.KafkaClients;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Gives every sender the dead-letter admin API ({@link DeadLetterAdminController}) for its channel: the
 * {@link NotificationChannel} bean's {@code name()} (or {@code connectors.replay.channel} when an application has
 * several). Applications without a channel (router, ingest) don't get the API.
 * Kafka: {@code spring.kafka.bootstrap-servers}; schema registry: {@code connectors.schema-registry.url}; admin key:
 * {@code connectors.security.admin-api-key} (or env CONNECTORS_ADMIN_API_KEY).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBean(NotificationChannel.class)
public class DeadLetterReplayAutoConfiguration {

    @Bean
    public DeadLetterBrowser deadLetterBrowser(ObjectProvider<NotificationChannel> channels,
            @Value("${connectors.replay.channel:}") String configuredChannel,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${connectors.schema-registry.url}") String schemaRegistryUrl) {
        return new DeadLetterBrowser(bootstrapServers, schemaRegistryUrl,
                channel(configuredChannel, channels.orderedStream().map(NotificationChannel::name).toList()));
    }

    /** Replays go to the channel topic with acks=all and idempotence, like every other producer here. */
    @Bean(destroyMethod = "close")
    public Producer<byte[], byte[]> deadLetterReplayProducer(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Properties properties = KafkaClients.properties(bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return KafkaClientMeters.bound(new KafkaProducer<>(properties));
    }

    @Bean
    public Replayer deadLetterReplayer(DeadLetterBrowser deadLetterBrowser,
            Producer<byte[], byte[]> deadLetterReplayProducer, ObjectProvider<DeliveredCheck> deliveredCheck) {
        return new Replayer(deadLetterBrowser, deadLetterReplayProducer, deliveredCheck.getIfAvailable());
    }

    @Bean
    public DeadLetterAdminController deadLetterAdminController(DeadLetterBrowser deadLetterBrowser,
            Replayer deadLetterReplayer) {
        return new DeadLetterAdminController(deadLetterBrowser, deadLetterReplayer);
    }

    /** The admin API is the operator's alone (config-core's shared API security; without an admin key, nobody's). */
    @Bean
    public ApiRoutes deadLetterAdminRoutes() {
        return routes -> routes.requestMatchers("/admin/dead-letters", "/admin/dead-letters:replay")
                .access(ApiRoutes.operator());
    }

    /** The configured channel, else the one channel of this application. */
    static String channel(String configured, List<String> channelNames) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        List<String> distinct = channelNames.stream().distinct().toList();
        if (distinct.size() != 1) {
            throw new IllegalStateException("this application has the channels " + distinct + ": set "
                    + "connectors.replay.channel to the one whose dead letters the admin API serves");
        }
        return distinct.getFirst();
    }
}
