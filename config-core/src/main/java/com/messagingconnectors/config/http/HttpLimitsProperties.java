package com.messagingconnectors.config.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code connectors.http.*}, the same in every HTTP service.
 *
 * @param maxBodySize     largest request body of any endpoint (413 above it); ingest has its own per-endpoint limits
 * @param bodyReadTimeout the whole request body must arrive within this time (408 after it)
 */
@ConfigurationProperties("connectors.http")
public record HttpLimitsProperties(
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("10s") Duration bodyReadTimeout) {
}
