package com.messagingconnectors.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request the sandbox received, as a receiver (Slack, Teams, a webhook endpoint) would have seen it.
 *
 * @param headers header names in lower case, values in arrival order
 * @param body the body as UTF-8 text, cut at {@link RequestLog#MAX_BODY_CHARS}
 */
public record RecordedRequest(long id, Instant receivedAt, String method, String path, String query,
                              Map<String, List<String>> headers, String body, boolean bodyTruncated) {

    /** First value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
