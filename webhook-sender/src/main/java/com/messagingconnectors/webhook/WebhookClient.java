package com.messagingconnectors.webhook;

import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Posts one webhook and says what came of it. Redirects are not followed: a redirect is a misconfiguration. */
public class WebhookClient {
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;

    public WebhookClient(Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** The outcome of the attempt, and the HTTP status when the endpoint answered. */
    public record Attempt(DeliveryOutcome outcome, Integer httpStatus) {
    }

    /**
     * POSTs {@code jsonBody} with the Standard Webhooks id/timestamp headers ({@code webhook-id} is the
     * notification id, identical on every retry, so the receiver can dedupe).
     */
    public Attempt post(URI url, String notificationId, byte[] jsonBody) {
        Instant now = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("content-type", "application/json")
                .header("webhook-id", notificationId)
                .header("webhook-timestamp", Long.toString(now.getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            String retryAfter = response.headers().firstValue("retry-after").orElse(null);
            return new Attempt(HttpStatusClassifier.classify(status, retryAfter, clock.instant()), status);
        } catch (HttpTimeoutException e) {
            return new Attempt(new DeliveryOutcome.Retryable(DeliveryOutcome.FailureReason.timeout, "timed out: " + e.getMessage(), null, 0), null);
        } catch (IOException e) {
            return new Attempt(new DeliveryOutcome.Retryable(DeliveryOutcome.FailureReason.connection, "connection failed: " + e, null, 0), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(new DeliveryOutcome.Retryable(DeliveryOutcome.FailureReason.connection, "interrupted while sending", null, 0), null);
        }
    }
}
