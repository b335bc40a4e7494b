package com.messagingconnectors.webhook;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how webhooks are posted. One URL for every notification until endpoints come from connectors.config.
 */
@ConfigurationProperties("connectors.webhook")
public record WebhookProperties(URI url, Duration connectTimeout, Duration requestTimeout) {

    public WebhookProperties {
        url = url == null ? URI.create("http://127.0.0.1:8099/webhook") : url;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
    }
}
