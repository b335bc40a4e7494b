package com.messagingconnectors.ingest;

import com.messagingconnectors.config.auth.ApiKeyAuthConfiguration;
import com.messagingconnectors.config.store.ConfigView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Every /v1 call needs an API key (docs/decisions/0004). Workspace keys are read from the live connectors.config; the
 * view loads in the background so ingest starts (and answers 503) even while Kafka is down.
 */
@Configuration(proxyBeanMethods = false)
@Import(ApiKeyAuthConfiguration.class)
class ApiKeyConfiguration {

    @Bean(destroyMethod = "close")
    ConfigView configView(IngestProperties ingest, @Value("${connectors.config.topic}") String topic) {
        return new ConfigView(ingest.bootstrapServers(), topic).start();
    }
}
