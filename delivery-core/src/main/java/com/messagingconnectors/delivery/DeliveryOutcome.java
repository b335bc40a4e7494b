package com.messagingconnectors.delivery;

import java.time.Duration;

/** What one delivery attempt came to; every sender classifies every attempt into exactly one of these. */
public sealed interface DeliveryOutcome {

    /** The destination accepted the notification. */
    record Delivered() implements DeliveryOutcome {
    }

    /**
     * Worth trying again later: timeouts, connection errors, 5xx, 408, 429.
     *
     * @param retryAfter how long the destination asked us to wait (Retry-After), or null when it did not say
     */
    record Retryable(String reason, Duration retryAfter) implements DeliveryOutcome {
    }

    /** Trying again cannot help (other 4xx, revoked token, channel gone): dead-letter at once. */
    record Permanent(String reason) implements DeliveryOutcome {
    }
}
