package com.messagingconnectors.events.starter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/** The {@link PlatformEvents} facade; the binding's settings are {@link PlatformEventsBindingDefaults}. */
@AutoConfiguration
public class PlatformEventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PlatformEvents platformEvents(StreamBridge bridge) {
        return new PlatformEvents(bridge);
    }
}
