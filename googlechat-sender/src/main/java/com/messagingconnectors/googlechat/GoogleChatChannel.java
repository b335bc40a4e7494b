package com.messagingconnectors.googlechat;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.kinds.GoogleChatKind;
import com.messagingconnectors.config.model.GoogleChatSpaceConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.Credentials;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.HttpStatusClassifier;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.Outcomes;
import com.messagingconnectors.delivery.RateLimit;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Posts a notification to its Google Chat space's incoming webhook as a Cards v2 message with a text fallback
 * ({@link CardsV2Formatter}). The webhook URL is sealed on the space's channel record and opened for the attempt only;
 * its key and token never reach a log line or an outcome. Posted with delivery-core's {@link GuardedHttpClient} (SSRF
 * guard, no redirects, timeouts); outside local mode only https to chat.googleapis.com is posted to.
 *
 * <p>Answers: 2xx delivered; 429 and 5xx retried (Retry-After honoured); 404 (webhook or space deleted) and 401/403
 * (key or token no longer valid) permanent and the integration unhealthy; any other 4xx permanent.
 */
public class GoogleChatChannel implements NotificationChannel {
    public static final String NAME = GoogleChatKind.DESCRIPTOR.id();
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String REJECTED = "space webhook rejected: ";

    private final GoogleChatProperties properties;
    private final GuardedHttpClient http;
    private final SecretBox secrets;
    private final Credentials credentials;
    private final boolean localMode;
    private final Clock clock;

    /**
     * @param localMode the local stack and tests: a plain-http stand-in on loopback may be posted to (the guard's
     *                  policy must allow loopback too)
     */
    public GoogleChatChannel(GoogleChatProperties properties, GuardedHttpClient http, SecretBox secrets,
                             boolean localMode, Clock clock) {
        this.properties = properties;
        this.http = http;
        this.secrets = secrets;
        this.credentials = new Credentials(secrets);
        this.localMode = localMode;
        this.clock = clock;
    }

    /** The guarded client's settings, from this sender's timeouts. */
    public static GuardedHttpClient.Settings clientSettings(GoogleChatProperties properties) {
        return new GuardedHttpClient.Settings(properties.connectTimeout(), properties.requestTimeout(),
                properties.maxConnections(), "messaging-connectors-googlechat/0.1");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** About one message a second per space (Google Chat's limit), evenly: burst 1, like Teams. */
    @Override
    public RateLimit rateLimit() {
        return new RateLimit(properties.messagesPerSecond(), 1);
    }

    @Override
    public DeliveryOutcome deliver(DeliveryRequest request) {
        if (!(request.channel() instanceof GoogleChatSpaceConfig space)) {
            return invalid("destination " + request.channel().id() + " is not a Google Chat space",
                    IntegrationEffect.NONE);
        }
        String url;
        try {
            url = credentials.open(space.webhookUrl(), GoogleChatKind.webhookUrlPurpose(
                    request.integration().workspaceId(), request.integration().id(), space.id()));
        } catch (RuntimeException e) {
            return invalid("the webhook URL of space " + space.id() + " cannot be opened (sealed with a key this"
                    + " sender does not have?)", IntegrationEffect.NONE);
        }
        if (url == null) {
            return invalid("space " + space.id() + " has no webhook URL; set the space's incoming-webhook URL",
                    IntegrationEffect.UNHEALTHY);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        // checked again here: the record may predate a stricter check, and the URL is only ever opened here
        if (uri == null || GoogleChatKind.urlProblem(url) != null
                || !("https".equals(uri.getScheme()) || localMode && "http".equals(uri.getScheme()))) {
            return invalid("the stored webhook URL of space " + space.id() + " is not a Google Chat incoming-webhook"
                    + " URL (https://" + GoogleChatKind.HOST + "/v1/spaces/…); set it again", IntegrationEffect.UNHEALTHY);
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(CardsV2Formatter.format(request.notification()));
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
        GuardedHttpClient.Answer answer;
        try {
            answer = http.postJson(uri, Map.of("Accept", "application/json"), body);
        } catch (GuardedHttpClient.NoAnswer noAnswer) {
            if (noAnswer.refused() && noAnswer.outcome() instanceof DeliveryOutcome.Permanent refused) {
                return invalid(REJECTED + "the URL was refused before sending: " + refused.detail(),
                        IntegrationEffect.UNHEALTHY);
            }
            return noAnswer.outcome();
        }
        return outcome(answer);
    }

    /**
     * This channel with a client that reaches only {@code sink}, and a Cards v2 message to a space whose webhook URL
     * (on the sink, shaped like Google's) is sealed like a customer's.
     */
    @Override
    public Optional<Rehearsal> rehearsal(URI sink) {
        GuardedHttpClient sinkOnly = http.rehearsalCopy(sink);
        String spaceId = "rehearsal";
        String url = "http://" + sink.getHost() + ":" + sink.getPort() + "/v1/spaces/" + spaceId
                + "/messages?key=rehearsal&token=rehearsal";
        GoogleChatSpaceConfig space = new GoogleChatSpaceConfig(spaceId, "rehearsal", secrets.seal(url,
                GoogleChatKind.webhookUrlPurpose(Rehearsal.WORKSPACE,
                        Rehearsal.integrationId(IntegrationKind.googlechat), spaceId)), true);
        // a plain-http URL on loopback, like local mode's stand-in: the copy reaches nothing but the sink
        return Optional.of(Rehearsal.of(new GoogleChatChannel(properties, sinkOnly, secrets, true, clock),
                IntegrationKind.googlechat, space, Map.of(), Map.of(), sinkOnly));
    }

    private DeliveryOutcome outcome(GuardedHttpClient.Answer answer) {
        int status = answer.status();
        return switch (status) {
            case 404 -> new DeliveryOutcome.Permanent(FailureReason.destination_gone, REJECTED + "HTTP 404: the"
                    + " webhook or its space was deleted; create a new webhook in the space and set its URL", status,
                    IntegrationEffect.UNHEALTHY);
            case 401, 403 -> new DeliveryOutcome.Permanent(FailureReason.auth, REJECTED + "HTTP " + status + ": the"
                    + " webhook's key or token is no longer valid, or webhooks are turned off for the space; create a"
                    + " new webhook and set its URL", status, IntegrationEffect.UNHEALTHY);
            case 400 -> new DeliveryOutcome.Permanent(FailureReason.client, REJECTED + "HTTP 400: Google Chat"
                    + " refused the message", status, IntegrationEffect.NONE);
            default -> {
                DeliveryOutcome classified = HttpStatusClassifier.classify(status, answer.retryAfter(),
                        clock.instant());
                yield Outcomes.prefixed(classified, classified instanceof DeliveryOutcome.Permanent ? REJECTED
                        : "Google Chat answered ");
            }
        };
    }

    private static DeliveryOutcome invalid(String detail, IntegrationEffect effect) {
        return new DeliveryOutcome.Permanent(FailureReason.invalid, detail, 0, effect);
    }
}
