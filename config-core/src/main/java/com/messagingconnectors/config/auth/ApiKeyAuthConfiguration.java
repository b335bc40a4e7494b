package com.messagingconnectors.config.auth;

import com.messagingconnectors.config.store.ConfigView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * API-key authentication of every {@code /v1} call (docs/decisions/0004), for the services that take API calls:
 * {@code @Import} it next to a {@link ConfigView} bean. Settings: {@code connectors.security.admin-api-key},
 * {@code local-mode}, {@code dev-api-key}, {@code dev-workspace-id}.
 */
@Configuration(proxyBeanMethods = false)
public class ApiKeyAuthConfiguration {

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(ConfigView view,
                                            @Value("${connectors.security.admin-api-key:}") String adminKey,
                                            @Value("${connectors.security.local-mode:false}") boolean localMode,
                                            @Value("${connectors.security.dev-api-key:}") String devKey,
                                            @Value("${connectors.security.dev-workspace-id:}") String devWorkspace) {
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
