package com.messagingconnectors.googlechat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * googlechat-sender settings ({@code connectors.googlechat.*}). The spaces themselves come from connectors.config.
 *
 * @param connectTimeout    TCP connect timeout (default 5 s)
 * @param requestTimeout    the whole request, from sending to the end of the answer (default 15 s)
 * @param maxConnections    pooled connections to chat.googleapis.com
 * @param messagesPerSecond per-space pace: Google Chat allows about one message a second per space
 */
@ConfigurationProperties("connectors.googlechat")
public record GoogleChatProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("200") int maxConnections,
        @DefaultValue("1") double messagesPerSecond) {
}
