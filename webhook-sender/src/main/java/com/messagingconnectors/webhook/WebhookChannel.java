package com.messagingconnectors.webhook;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.observe.Traces;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.webhook.signing.WebhookSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook channel: POSTs the event as JSON ({@link EventJson#toWebhookBody(Notification)}, with the digest when
 * the notification stands for several events) to the endpoint of the notification's
 * destination, signed the Standard Webhooks way with every active secret of the endpoint, and classifies the answer.
 * 410 Gone disables the endpoint, the rest is {@link HttpStatusClassifier}. Posted with delivery-core's
 * {@link GuardedHttpClient} (SSRF guard, no redirects, timeouts).
 */
public class WebhookChannel implements NotificationChannel {
    public static final String NAME = "webhook";
    /** Headers an endpoint's custom headers may not replace. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection", WebhookSigner.HEADER_ID, WebhookSigner.HEADER_TIMESTAMP,
            WebhookSigner.HEADER_SIGNATURE);

    private final GuardedHttpClient http;
    private final SecretBox secrets;
    private final Clock clock;

    public WebhookChannel(GuardedHttpClient http, SecretBox secrets, Clock clock) {
        this.http = http;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeliveryOutcome deliver(DeliveryRequest request) {
        if (!(request.channel() instanceof WebhookEndpointConfig endpoint)) {
            return permanentInvalid("destination " + request.channel().id() + " is not a webhook endpoint");
        }
        Notification notification = request.notification();
        if (endpoint.url() == null || endpoint.url().isBlank()) {
            return permanentInvalid("endpoint " + endpoint.id() + " has no URL");
        }
        List<String> signingSecrets;
        Map<String, String> headers;
        try {
            signingSecrets = openSecrets(request);
        } catch (RuntimeException e) {
            return permanentInvalid("signing secrets of endpoint " + endpoint.id() + " cannot be opened");
        }
        try {
            headers = openHeaders(request);
        } catch (RuntimeException e) {
            return permanentInvalid("custom headers of endpoint " + endpoint.id() + " cannot be opened");
        }
        if (signingSecrets.isEmpty()) {
            return permanentInvalid("endpoint " + endpoint.id() + " has no signing secret");
        }
        String body = body(notification);
        long timestamp = clock.instant().getEpochSecond();
        URI uri;
        try {
            uri = URI.create(endpoint.url());
        } catch (IllegalArgumentException e) {
            return permanentInvalid("endpoint " + endpoint.id() + " has an invalid URL");
        }
        Map<String, String> outgoing = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                outgoing.put(name, value);
            }
        });
        outgoing.put(WebhookSigner.HEADER_ID, notification.getNotificationId());
        outgoing.put(WebhookSigner.HEADER_TIMESTAMP, Long.toString(timestamp));
        outgoing.put(WebhookSigner.HEADER_SIGNATURE,
                WebhookSigner.sign(notification.getNotificationId(), timestamp, body, signingSecrets));
        Traces.currentTraceparent().ifPresent(traceparent -> outgoing.put(Traces.TRACEPARENT, traceparent));
        GuardedHttpClient.Answer answer;
        try {
            answer = http.postJson(uri, outgoing, body.getBytes(StandardCharsets.UTF_8));
        } catch (GuardedHttpClient.NoAnswer e) {
            return e.outcome();
        }
        if (answer.status() == 410) {
            return new DeliveryOutcome.Permanent(FailureReason.destination_gone,
                    "HTTP 410: the endpoint asked to stop deliveries", 410, IntegrationEffect.ENDPOINT_DISABLED);
        }
        return HttpStatusClassifier.classify(answer.status(), answer.retryAfter(), clock.instant());
    }

    /**
     * This channel with a client that reaches only {@code sink}, and a signed delivery to an endpoint there whose
     * signing secret and custom header are sealed like a customer's.
     */
    @Override
    public Optional<Rehearsal> rehearsal(URI sink) {
        GuardedHttpClient sinkOnly = http.rehearsalCopy(sink);
        String integrationId = Rehearsal.integrationId(IntegrationKind.webhook);
        String endpointId = "e0";
        WebhookEndpointConfig endpoint = new WebhookEndpointConfig(endpointId, "rehearsal", sink.toString(), null,
                null, Map.of(), List.of(secrets.seal(WebhookSigner.newSecret(), SecretPurposes.signing(
                        Rehearsal.WORKSPACE, integrationId, endpointId))), true, Map.of("X-Rehearsal",
                        secrets.seal("1", SecretPurposes.header(Rehearsal.WORKSPACE, integrationId, endpointId,
                                "X-Rehearsal"))), null);
        return Optional.of(Rehearsal.of(new WebhookChannel(sinkOnly, secrets, clock), IntegrationKind.webhook,
                endpoint, Map.of(), Map.of(), sinkOnly));
    }

    /** The secrets that sign now: a rotated-out secret stops signing once it expired. */
    private List<String> openSecrets(DeliveryRequest request) {
        String purpose = SecretPurposes.signing(request.notification().getEvent().getWorkspaceId(),
                request.integration().id(), request.channel().id());
        return ((WebhookEndpointConfig) request.channel()).activeSigningSecrets(clock.instant()).stream()
                .map((EncryptedSecret secret) -> secrets.open(secret, purpose)).toList();
    }

    /** Custom headers with their values opened; plain ones are from records written before headers were sealed. */
    private Map<String, String> openHeaders(DeliveryRequest request) {
        WebhookEndpointConfig endpoint = (WebhookEndpointConfig) request.channel();
        if (endpoint.sealedHeaders().isEmpty()) {
            return endpoint.headers();
        }
        Map<String, String> out = new LinkedHashMap<>(endpoint.headers());
        String workspaceId = request.notification().getEvent().getWorkspaceId();
        endpoint.sealedHeaders().forEach((name, sealed) -> out.put(name, secrets.open(sealed,
                SecretPurposes.header(workspaceId, request.integration().id(), endpoint.id(), name))));
        return out;
    }

    private static DeliveryOutcome permanentInvalid(String detail) {
        return new DeliveryOutcome.Permanent(FailureReason.invalid, detail, 0, IntegrationEffect.NONE);
    }

    /** The documented webhook body: {@code {"type", "timestamp", "data", "digest"?}}. */
    static String body(Notification notification) {
        return EventJson.toWebhookBody(notification);
    }
}
