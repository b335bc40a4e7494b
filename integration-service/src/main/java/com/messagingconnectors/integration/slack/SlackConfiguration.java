package com.messagingconnectors.integration.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Slack side of integration-service: the Web API client (official SDK, base URL from configuration). */
@Configuration
@EnableScheduling
@EnableConfigurationProperties(SlackProperties.class)
class SlackConfiguration {

    @Bean
    MethodsClient slackMethodsClient(SlackProperties properties) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(properties.apiBaseUrl() + "/api/");
        config.setStatsEnabled(false);
        int millis = (int) properties.requestTimeout().toMillis();
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientCallTimeoutMillis(millis);
        return Slack.getInstance(config).methods();
    }
}
