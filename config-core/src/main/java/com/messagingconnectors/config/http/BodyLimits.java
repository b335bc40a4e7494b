package com.messagingconnectors.config.http;

import java.time.Duration;
import java.util.Map;

/**
 * How large and how slow a request body may be: {@code maxBytes} for every path, except the exact request paths in
 * {@code maxBytesByPath} (e.g. ingest's batch endpoint). Matching is exact on purpose: a path written differently
 * falls back to {@code maxBytes}, which should therefore be the smallest limit a service has.
 *
 * @param maxBytes       largest body anywhere else
 * @param maxBytesByPath larger (or smaller) limits of exact paths, such as {@code /v1/events:batch}
 * @param readTimeout    the whole body must have arrived within this time of the request reaching the service
 */
public record BodyLimits(long maxBytes, Map<String, Long> maxBytesByPath, Duration readTimeout) {

    public BodyLimits {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the body limit must not be negative, was " + maxBytes);
        }
        maxBytesByPath = maxBytesByPath == null ? Map.of() : Map.copyOf(maxBytesByPath);
    }

    public long maxBytesFor(String path) {
        return maxBytesByPath.getOrDefault(path, maxBytes);
    }
}
