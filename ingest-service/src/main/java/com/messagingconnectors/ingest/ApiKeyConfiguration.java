package com.messagingconnectors.ingest;

import com.messagingconnectors.config.auth.ApiKeyAuthFilter;
import com.messagingconnectors.config.auth.ApiKeyAuthenticator;
import com.messagingconnectors.config.store.ConfigView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every /v1 call needs an API key (docs/decisions/0004). Workspace keys are read from the live connectors.config; the
 * view loads in the background so ingest starts (and answers 503) even while Kafka is down.
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyConfiguration {

    @Bean(destroyMethod = "close")
    ConfigView configView(IngestProperties ingest, @Value("${connectors.config.topic}") String topic) {
        return new ConfigView(ingest.bootstrapServers(), topic).start();
    }

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(ConfigView view,
                                            @Value("${connectors.security.admin-api-key}") String adminKey,
                                            @Value("${connectors.security.local-mode}") boolean localMode,
                                            @Value("${connectors.security.dev-api-key}") String devKey,
                                            @Value("${connectors.security.dev-workspace-id}") String devWorkspace) {
        return new ApiKeyAuthenticator(view, adminKey, localMode, devKey, devWorkspace);
    }

    @Bean
    FilterRegistrationBean<ApiKeyAuthFilter> apiKeyAuthFilter(ApiKeyAuthenticator authenticator) {
        FilterRegistrationBean<ApiKeyAuthFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyAuthFilter(authenticator));
        registration.addUrlPatterns("/v1/*");
        return registration;
    }
}
