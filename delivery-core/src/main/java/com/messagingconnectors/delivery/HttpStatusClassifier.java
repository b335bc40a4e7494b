package com.messagingconnectors.delivery;

import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import java.time.Duration;
import java.time.Instant;

/** The one place that says what an HTTP answer from a destination means for the delivery. */
public final class HttpStatusClassifier {

    private HttpStatusClassifier() {
    }

    /**
     * 2xx delivered; 408, 429 and 5xx retryable (honouring Retry-After); any other status permanent.
     *
     * @param retryAfterHeader the Retry-After header of the answer, or null
     * @param now the time the answer arrived, to turn an HTTP-date Retry-After into a delay
     */
    public static DeliveryOutcome classify(int status, String retryAfterHeader, Instant now) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered();
        }
        String detail = "HTTP " + status;
        if (status == 429) {
            return new DeliveryOutcome.Retryable(FailureReason.rate_limited, detail,
                    parseRetryAfter(retryAfterHeader, now), status);
        }
        if (status == 408) {
            return new DeliveryOutcome.Retryable(FailureReason.timeout, detail, parseRetryAfter(retryAfterHeader, now),
                    status);
        }
        if (status >= 500 && status < 600) {
            return new DeliveryOutcome.Retryable(FailureReason.server, detail, parseRetryAfter(retryAfterHeader, now),
                    status);
        }
        if (status == 401 || status == 403) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, detail, status,
                    DeliveryOutcome.IntegrationEffect.NONE);
        }
        return new DeliveryOutcome.Permanent(FailureReason.client, detail, status,
                DeliveryOutcome.IntegrationEffect.NONE);
    }

    /** Retry-After as a delay; see {@link RetryAfter#parse(String, Instant)}. */
    static Duration parseRetryAfter(String header, Instant now) {
        return RetryAfter.parse(header, now);
    }
}
