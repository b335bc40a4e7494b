package com.messagingconnectors.delivery;

import com.messagingconnectors.schemas.DeadLetterHeaders;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.serde.AvroSerdeConfig;
import com.messagingconnectors.schemas.serde.AvroSerializer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.transaction.KafkaAwareTransactionManager;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Dead-lettering for every Spring Cloud Stream Kafka consumer binding of a service (router, senders).
 *
 * <p>Retries and dead-lettering run in the listener container, not in the binding: the binder's own DLQ would
 * send an undecodable record's value as null and only logs a failed DLQ send, while the container's
 * {@link DeadLetterPublishingRecoverer} publishes the original bytes of a poison record and throws when the DLQ
 * send fails, so the offset is never committed before the record is dead-lettered. The binding's
 * {@code max-attempts}/{@code back-off-*} properties become the container's back-off.
 *
 * <p>The dead-letter topic of {@code X} is {@code X.dlq} ({@code platform.events.dlq},
 * {@code notifications.<channel>.dlq}); the record goes there with its original key, value and headers plus
 * {@link DeadLetterHeaders}. Undecodable records and {@link DeliveryException.Permanent} are not retried.
 * A transactional binding (binder transaction-id-prefix) gets the same policy as an after-rollback processor.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterConfiguration {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    static final String DEAD_LETTER_SUFFIX = ".dlq";

    /**
     * Writes dead letters: keys are the original bytes (bindings consume keys as byte[]); values are the
     * original bytes of an undecodable record, or the decoded record serialized again as Avro.
     */
    @Bean
    public KafkaTemplate<Object, Object> deadLetterTemplate(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${connectors.schema-registry.url}") String schemaRegistryUrl) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letter-publisher");
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        Serializer<Object> keys = new DelegatingByTypeSerializer(Map.of(
                byte[].class, new ByteArraySerializer(), String.class, new StringSerializer()));
        Map<Class<?>, Serializer<?>> valuesByType = new LinkedHashMap<>();
        valuesByType.put(byte[].class, new ByteArraySerializer());
        valuesByType.put(SpecificRecord.class, new AvroSerializer<>());
        Serializer<Object> values = new DelegatingByTypeSerializer(valuesByType, true);
        keys.configure(config, true);
        values.configure(config, false);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, keys, values));
    }

    /** Picked up by the Kafka binder for every consumer binding of the application. */
    @Bean
    public ListenerContainerWithDlqAndRetryCustomizer deadLetterContainerCustomizer(
            KafkaTemplate<Object, Object> deadLetterTemplate, ObjectProvider<DeadLetterListener> listeners) {
        return new ListenerContainerWithDlqAndRetryCustomizer() {
            @Override
            public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName,
                    String group, BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> ignoredResolver,
                    BackOff backOff) {
                ConsumerAwareRecordRecoverer recoverer = deadLetterRecoverer(deadLetterTemplate, listeners);
                BackOff retries = backOff != null ? backOff : new FixedBackOff(0L, 0L);
                KafkaAwareTransactionManager<?, ?> transactions =
                        container.getContainerProperties().getKafkaAwareTransactionManager();
                if (transactions == null) {
                    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, retries);
                    handler.addNotRetryableExceptions(DeliveryException.Permanent.class);
                    container.setCommonErrorHandler(handler);
                } else {
                    // Transactional binding (exactly-once): the failed record's transaction is rolled back first,
                    // then the record is retried or dead-lettered, and its offset committed in a transaction.
                    DefaultAfterRollbackProcessor<Object, Object> afterRollback = new DefaultAfterRollbackProcessor<>(
                            recoverer, retries, new KafkaTemplate<>(transactions.getProducerFactory()), true);
                    afterRollback.addNotRetryableExceptions(DeliveryException.Permanent.class);
                    container.setAfterRollbackProcessor(afterRollback);
                }
            }

            @Override
            public boolean retryAndDlqInBinding(String destinationName, String group) {
                return false;
            }
        };
    }

    /**
     * Publishes the record to its dead-letter topic (throwing when that fails, so it is not committed), logs one
     * line and tells the {@link DeadLetterListener}s.
     */
    static ConsumerAwareRecordRecoverer deadLetterRecoverer(KafkaTemplate<Object, Object> template,
            ObjectProvider<DeadLetterListener> listeners) {
        // partition -1: the producer partitions by the original key, so one key's dead letters stay in order
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + DEAD_LETTER_SUFFIX, -1));
        publisher.setExceptionHeadersCreator(DeadLetterConfiguration::addReasonHeaders);
        publisher.setHeadersFunction(DeadLetterConfiguration::httpStatusHeader);
        return (record, consumer, exception) -> {
            publisher.accept(record, consumer, exception);
            log.warn("dead-lettered {}-{}@{}{} to {}{}: {}", record.topic(), record.partition(), record.offset(),
                    describe(record.value()), record.topic(), DEAD_LETTER_SUFFIX, reason(exception).getMessage());
            listeners.orderedStream().forEach(listener -> listener.deadLettered(record, exception));
        };
    }

    /** The ids a person searches the logs for; an undecodable record has none. */
    private static String describe(Object value) {
        if (value instanceof Notification notification) {
            return " notificationId=" + notification.getNotificationId() + " eventId="
                    + notification.getEvent().getEventId();
        }
        if (value instanceof PlatformEvent event) {
            return " eventId=" + event.getEventId();
        }
        return "";
    }

    /**
     * The exception that says why, under Spring's wrappers (ListenerExecutionFailedException, the
     * DeserializationException around the serde's error, MessagingException): e.g. the AvroDeserializer's
     * "unknown magic byte" or a sender's DeliveryException.
     */
    static Throwable reason(Throwable error) {
        Throwable current = error;
        while (current.getCause() != null && current.getCause() != current
                && (current instanceof org.springframework.kafka.KafkaException
                        || current instanceof org.springframework.messaging.MessagingException)) {
            current = current.getCause();
        }
        return current;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** Replaces the default exception headers (which name Spring's wrappers) with the reason's class and message. */
    private static void addReasonHeaders(Headers headers, Exception exception, boolean isKey,
            DeadLetterPublishingRecoverer.HeaderNames ignored) {
        Throwable reason = reason(exception);
        String classHeader = isKey ? DeadLetterHeaders.KEY_EXCEPTION_CLASS : DeadLetterHeaders.EXCEPTION_CLASS;
        String messageHeader = isKey ? DeadLetterHeaders.KEY_EXCEPTION_MESSAGE : DeadLetterHeaders.EXCEPTION_MESSAGE;
        StringWriter stackTrace = new StringWriter();
        reason.printStackTrace(new PrintWriter(stackTrace));
        replace(headers, classHeader, reason.getClass().getName());
        replace(headers, DeadLetterHeaders.EXCEPTION_CAUSE_CLASS, rootCause(reason).getClass().getName());
        replace(headers, messageHeader, String.valueOf(reason.getMessage()));
        replace(headers, DeadLetterHeaders.EXCEPTION_STACKTRACE, stackTrace.toString());
    }

    private static void replace(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Headers httpStatusHeader(ConsumerRecord<?, ?> record, Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeliveryException failure && failure.httpStatus() != null) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(DeadLetterHeaders.HTTP_STATUS,
                        failure.httpStatus().toString().getBytes(StandardCharsets.UTF_8));
                return headers;
            }
        }
        return null;
    }
}
