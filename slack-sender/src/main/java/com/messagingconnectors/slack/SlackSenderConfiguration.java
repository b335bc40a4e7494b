package com.messagingconnectors.slack;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The Slack channel and what it needs: a Slack Web API client (base URL configurable) and the secret box. */
@Configuration
@Import(SecretBoxConfiguration.class)
class SlackSenderConfiguration {

    /** Web API client of the official SDK; {@code connectors.slack.api-base-url} points it at the sandbox or a test. */
    static MethodsClient slackMethods(String apiBaseUrl, Duration timeout) {
        return slack(apiBaseUrl, timeout).methods();
    }

    /** The SDK with its own HTTP client, calling the Web API at {@code apiBaseUrl}; closing it closes the client. */
    static Slack slack(String apiBaseUrl, Duration timeout) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiBaseUrl.replaceAll("/+$", "") + "/api/");
        config.setStatsEnabled(false);
        int millis = (int) timeout.toMillis();
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        config.setHttpClientCallTimeoutMillis(millis);
        return Slack.getInstance(config);
    }

    @Bean
    MethodsClient slackMethodsClient(@Value("${connectors.slack.api-base-url}") String apiBaseUrl,
                                     @Value("${connectors.slack.request-timeout:10s}") Duration timeout) {
        return slackMethods(apiBaseUrl, timeout);
    }

    /** Rehearsals (the warm-up before the sender is ready) call the Web API of the engine's loopback sink instead. */
    @Bean
    SlackChannel slackChannel(MethodsClient slackMethodsClient, SecretBox secretBox,
                              @Value("${connectors.slack.request-timeout:10s}") Duration timeout) {
        return new SlackChannel(slackMethodsClient, secretBox, sink -> slack(sink.toString(), timeout));
    }
}
