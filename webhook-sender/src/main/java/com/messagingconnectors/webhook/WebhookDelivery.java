package com.messagingconnectors.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.messagingconnectors.delivery.DeadLetterListener;
import com.messagingconnectors.delivery.DeliveryException;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring Cloud Stream consumer of notifications.webhook (binding deliverWebhook-in-0). A failed attempt throws
 * a {@link DeliveryException}: the listener container retries it with the binding's back-off and then, or at once
 * for a permanent failure, dead-letters it to notifications.webhook.dlq; the offset is committed only after that.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookDelivery {
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    static final String CHANNEL = "webhook";
    /** The schemas library's JSON mapping is Jackson 2. */
    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    public WebhookClient webhookClient(WebhookProperties properties) {
        return new WebhookClient(properties.connectTimeout(), properties.requestTimeout(), Clock.systemUTC());
    }

    @Bean
    public Consumer<Notification> deliverWebhook(WebhookClient client, WebhookProperties properties,
            MeterRegistry meters) {
        return notification -> {
            String notificationId = notification.getNotificationId();
            String eventId = notification.getEvent().getEventId();
            WebhookClient.Attempt attempt = client.post(properties.url(), notificationId, body(notification));
            if (attempt.outcome() instanceof DeliveryOutcome.Delivered) {
                count(meters, "delivered");
                log.info("delivered notificationId={} eventId={} status={}", notificationId, eventId,
                        attempt.httpStatus());
                return;
            }
            count(meters, "failed");
            log.warn("attempt failed notificationId={} eventId={} outcome={}", notificationId, eventId,
                    attempt.outcome());
            throw DeliveryException.of(attempt.outcome(), attempt.httpStatus(), notificationId);
        };
    }

    @Bean
    public DeadLetterListener deadLetterCounter(MeterRegistry meters) {
        return (record, reason) -> count(meters, "dead_lettered");
    }

    private static void count(MeterRegistry meters, String outcome) {
        meters.counter("connectors.sender.deliveries", "channel", CHANNEL, "outcome", outcome).increment();
    }

    static byte[] body(Notification notification) {
        try {
            return JSON.writeValueAsBytes(EventJson.toWebhookJson(notification.getEvent()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook JSON of notification "
                    + notification.getNotificationId(), e);
        }
    }
}
