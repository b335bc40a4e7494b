package com.messagingconnectors.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How webhooks are posted ({@code connectors.webhook.*}). Endpoints themselves come from connectors.config.
 *
 * @param connectTimeout  TCP connect timeout (default 5 s)
 * @param requestTimeout  the whole request, from sending to the end of the answer (default 15 s)
 * @param maxConnections  pooled connections, in total and per endpoint host
 */
@ConfigurationProperties("connectors.webhook")
public record WebhookProperties(Duration connectTimeout, Duration requestTimeout, Integer maxConnections) {

    public WebhookProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
        maxConnections = maxConnections == null ? 1000 : maxConnections;
    }
}
