package com.messagingconnectors.integration;

import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.config.store.ConfigWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Clock;
import java.time.Duration;

@Configuration
@Import(SecretBoxConfiguration.class)
class IntegrationServiceConfiguration {

    @Bean(destroyMethod = "close")
    ConfigView configView(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                          @Value("${connectors.config.topic}") String topic) throws InterruptedException {
        ConfigView view = new ConfigView(bootstrap, topic).start();
        // serve nothing before the whole topic is loaded: a half-loaded view would let a write clobber a newer version
        if (!view.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("could not load " + topic + " from " + bootstrap + " within 60 s");
        }
        return view;
    }

    @Bean(destroyMethod = "close")
    ConfigWriter configWriter(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                              @Value("${connectors.config.topic}") String topic,
                              @Value("${connectors.config.writer-transactional-id}") String transactionalId) {
        return new ConfigWriter(bootstrap, topic, transactionalId);
    }

    /** The time of sessions and connect links; tests replace it to see them expire. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RoutingEngine routingEngine() {
        return new RoutingEngine();
    }
}
