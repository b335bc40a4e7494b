package com.messagingconnectors.delivery;

import java.time.Duration;

/**
 * What one delivery attempt came to; every channel classifies every attempt into exactly one of these.
 * {@link FailureReason} is also the metrics tag.
 */
public sealed interface DeliveryOutcome {

    /** The destination accepted the notification. */
    record Delivered() implements DeliveryOutcome {
    }

    /**
     * Worth trying again later: timeouts, connection errors, 5xx, 408, 429.
     *
     * @param retryAfter how long the destination asked us to wait (Retry-After), or null when it did not say
     * @param detail     what happened, for logs and dead-letter headers; never a secret or a full URL with tokens
     * @param httpStatus the destination's answer, or 0 when there was none
     */
    record Retryable(FailureReason reason, String detail, Duration retryAfter, int httpStatus)
            implements DeliveryOutcome {
    }

    /**
     * Trying again cannot help (other 4xx, revoked token, channel gone): dead-letter at once.
     *
     * @param status what this says about the integration's health, reported on connectors.status (or NONE)
     */
    record Permanent(FailureReason reason, String detail, int httpStatus, IntegrationEffect status)
            implements DeliveryOutcome {
    }

    /** Short reason, also the metrics tag. */
    enum FailureReason {
        auth, rate_limited, client, server, timeout, connection, destination_gone, destination_missing, invalid
    }

    /** What a permanent failure says about the integration (reported on connectors.status by delivery-core). */
    enum IntegrationEffect {
        /** nothing beyond this notification */
        NONE,
        /** credentials revoked or invalid: the integration is disconnected until reconnected */
        DISCONNECTED,
        /** the destination refuses us (e.g. channel archived, app lost access): unhealthy until fixed */
        UNHEALTHY,
        /** the endpoint told us to stop (HTTP 410 Gone): the endpoint is disabled */
        ENDPOINT_DISABLED
    }
}
