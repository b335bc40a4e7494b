package com.messagingconnectors.webhook;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.webhook.signing.WebhookSigner;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The webhook channel: POSTs the event as JSON ({@link EventJson#toWebhookBody}) to the endpoint of the notification's
 * destination, signed the Standard Webhooks way with every active secret of the endpoint, and classifies the answer.
 * Redirects are refused (a permanent client failure), 410 Gone disables the endpoint, the rest is
 * {@link HttpStatusClassifier}. Addresses are checked by the SSRF guard (the HTTP client's DNS resolver).
 */
public class WebhookChannel implements NotificationChannel {
    public static final String NAME = "webhook";
    /** Headers an endpoint's custom headers may not replace. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection", WebhookSigner.HEADER_ID, WebhookSigner.HEADER_TIMESTAMP,
            WebhookSigner.HEADER_SIGNATURE);
    private static final ContentType JSON_CONTENT_TYPE = ContentType.create("application/json");

    private final CloseableHttpClient http;
    private final SecretBox secrets;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

    public WebhookChannel(CloseableHttpClient http, SecretBox secrets, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.secrets = secrets;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeliveryOutcome deliver(DeliveryRequest request) {
        ChannelConfig endpoint = request.channel();
        Notification notification = request.notification();
        if (endpoint.url() == null || endpoint.url().isBlank()) {
            return permanentInvalid("endpoint " + endpoint.id() + " has no URL");
        }
        List<String> signingSecrets;
        try {
            signingSecrets = openSecrets(request);
        } catch (RuntimeException e) {
            return permanentInvalid("signing secrets of endpoint " + endpoint.id() + " cannot be opened");
        }
        if (signingSecrets.isEmpty()) {
            return permanentInvalid("endpoint " + endpoint.id() + " has no signing secret");
        }
        String body = body(notification);
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post;
        try {
            post = new HttpPost(URI.create(endpoint.url()));
        } catch (IllegalArgumentException e) {
            return permanentInvalid("endpoint " + endpoint.id() + " has an invalid URL");
        }
        endpoint.headers().forEach((name, value) -> {
            if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                post.setHeader(name, value);
            }
        });
        post.setHeader(WebhookSigner.HEADER_ID, notification.getNotificationId());
        post.setHeader(WebhookSigner.HEADER_TIMESTAMP, Long.toString(timestamp));
        post.setHeader(WebhookSigner.HEADER_SIGNATURE,
                WebhookSigner.sign(notification.getNotificationId(), timestamp, body, signingSecrets));
        // exactly "application/json": JSON is UTF-8 by definition (RFC 8259), a charset parameter is not defined for it
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON_CONTENT_TYPE));
        // the whole request is bounded, not only each read: a trickling endpoint is cut off too
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return http.execute(post, response -> {
                int status = response.getCode();
                if (status >= 300 && status < 400) {
                    return new DeliveryOutcome.Permanent(FailureReason.client, "redirect refused (HTTP " + status
                            + ")", status, IntegrationEffect.NONE);
                }
                if (status == 410) {
                    return new DeliveryOutcome.Permanent(FailureReason.destination_gone,
                            "HTTP 410: the endpoint asked to stop deliveries", status,
                            IntegrationEffect.ENDPOINT_DISABLED);
                }
                Header retryAfter = response.getFirstHeader("Retry-After");
                return HttpStatusClassifier.classify(status, retryAfter == null ? null : retryAfter.getValue(),
                        clock.instant());
            });
        } catch (BlockedAddressException e) {
            return permanentInvalid("address refused: " + e.getMessage());
        } catch (SocketTimeoutException e) { // includes ConnectTimeoutException
            return new DeliveryOutcome.Retryable(FailureReason.timeout, "timed out: " + e.getMessage(), null, 0);
        } catch (IOException e) {
            if (post.isCancelled()) {
                return new DeliveryOutcome.Retryable(FailureReason.timeout, "no complete answer within "
                        + requestTimeout, null, 0);
            }
            return new DeliveryOutcome.Retryable(FailureReason.connection, "connection failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), null, 0);
        } finally {
            deadline.cancel(false);
        }
    }

    private List<String> openSecrets(DeliveryRequest request) {
        String purpose = SecretPurposes.signing(request.notification().getEvent().getWorkspaceId(),
                request.integration().id(), request.channel().id());
        return request.channel().signingSecrets().stream()
                .map((EncryptedSecret secret) -> secrets.open(secret, purpose)).toList();
    }

    private static DeliveryOutcome permanentInvalid(String detail) {
        return new DeliveryOutcome.Permanent(FailureReason.invalid, detail, 0, IntegrationEffect.NONE);
    }

    /** The documented webhook body: {@code {"type", "timestamp", "data"}}. */
    static String body(Notification notification) {
        return EventJson.toWebhookBody(notification.getEvent());
    }
}
