package com.messagingconnectors.router;

import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** The Spring Cloud Stream function: platform.events (binding route-in-0) → notifications.* (route-out-0). */
@Configuration(proxyBeanMethods = false)
public class RouterFunctions {
    private static final Logger log = LoggerFactory.getLogger(RouterFunctions.class);

    @Bean
    public EventRouter eventRouter(StaticRouteProperties route) {
        return new EventRouter(route, Clock.systemUTC());
    }

    /** Returns null for an event no destination wants: Spring Cloud Stream then sends nothing. */
    @Bean
    public Function<PlatformEvent, Message<Notification>> route(EventRouter router, MeterRegistry meters) {
        return event -> router.route(event)
                .map(notification -> {
                    meters.counter("connectors.router.events", "outcome", "routed").increment();
                    meters.counter("connectors.router.notifications", "channel", notification.getChannel())
                            .increment();
                    log.info("routed eventId={} type={} notificationId={} destinationId={}", event.getEventId(),
                            event.getType(), notification.getNotificationId(),
                            notification.getDestination().getDestinationId());
                    // key = destination id: one destination's notifications stay in order on one partition
                    return MessageBuilder.withPayload(notification)
                            .setHeader(KafkaHeaders.KEY, notification.getDestination().getDestinationId())
                            .build();
                })
                .orElseGet(() -> {
                    meters.counter("connectors.router.events", "outcome", "no_destination").increment();
                    log.info("no destination for eventId={} type={}", event.getEventId(), event.getType());
                    return null;
                });
    }
}
