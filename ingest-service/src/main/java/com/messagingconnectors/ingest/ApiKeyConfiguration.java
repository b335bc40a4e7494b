package com.messagingconnectors.ingest;

import com.messagingconnectors.config.auth.ApiRoutes;
import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.config.store.ConfigView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every /v1 call needs an API key with the {@code events:write} scope (config-core's shared API security; decisions
 * 0004 and 0017). Workspace keys are read from the live connectors.config; the view loads in the background so ingest
 * starts (and answers 503) even while Kafka is down.
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyConfiguration {

    @Bean(destroyMethod = "close")
    ConfigView configView(IngestProperties ingest, @Value("${connectors.config.topic}") String topic) {
        return new ConfigView(ingest.bootstrapServers(), topic).start();
    }

    @Bean
    ApiRoutes ingestRoutes() {
        // any method: a GET reaches Spring MVC and gets its 405, not a 403 that hides the mistake
        return routes -> routes.requestMatchers("/v1/events", "/v1/events:batch")
                .access(ApiRoutes.scope(Scope.EVENTS_WRITE));
    }
}
