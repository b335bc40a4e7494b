package com.messagingconnectors.slack;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
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
import com.messagingconnectors.delivery.RetryAfter;
import com.messagingconnectors.delivery.TransportFailures;
import com.messagingconnectors.delivery.alerts.AlertMessages;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.slack.SlackMessageFormatter.SlackMessage;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.conversations.ConversationsJoinResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Delivers a notification to a Slack channel with {@code chat.postMessage} and classifies Slack's answer. The bot
 * token comes from the integration's sealed credentials and is never logged.
 *
 * <p>Alerts resolve in place: the message of an {@code alert.triggered} is remembered in {@link AlertMessages}
 * (channel, ts and its content); the {@code alert.resolved} with the same alert id then edits it with
 * {@code chat.update} ("✅ Resolved", content kept, a green bar) or, where {@code slack_resolved_alerts} says
 * {@code thread}, answers in its thread. With no known original it is posted as a message of its own.
 */
public class SlackChannel implements NotificationChannel {
    private static final Logger log = LoggerFactory.getLogger(SlackChannel.class);

    /**
     * The bot token stopped working. The sender only sees this on a post, so it reports the integration unhealthy
     * ("reconnect Slack"); "disconnected" is what integration-service records when Slack's Events API says the app
     * was uninstalled or its tokens revoked (then this channel dead-letters without calling Slack, see deliver).
     */
    private static final Set<String> TOKEN_BROKEN = Set.of("invalid_auth", "token_revoked", "account_inactive",
            "not_authed", "no_permission", "app_uninstalled", "team_access_not_granted", "team_disabled");
    private static final Set<String> SLACK_SIDE_TROUBLE = Set.of("internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");
    private static final Set<String> CHANNEL_GONE = Set.of("channel_not_found", "is_archived");
    private static final Set<String> BAD_MESSAGE = Set.of("msg_too_long", "invalid_blocks", "invalid_blocks_format",
            "no_text", "too_many_attachments", "invalid_attachments", "invalid_arguments");

    private final MethodsClient slack;
    private final SecretBox secrets;
    private final Credentials credentials;
    /** The SDK calling the Web API at a rehearsal sink; null: no rehearsal. */
    private final Function<URI, Slack> rehearsalApi;
    private final SlackMessageFormatter formatter = new SlackMessageFormatter();
    /** Set by the engine before the first delivery; null when the channel runs without one (unit tests). */
    private volatile AlertMessages alertMessages;

    public SlackChannel(MethodsClient slack, SecretBox secrets) {
        this(slack, secrets, null);
    }

    /** @param rehearsalApi the SDK calling the Web API at a given base URL, for rehearsals; null for none */
    public SlackChannel(MethodsClient slack, SecretBox secrets, Function<URI, Slack> rehearsalApi) {
        this.slack = slack;
        this.secrets = secrets;
        this.credentials = new Credentials(secrets);
        this.rehearsalApi = rehearsalApi;
    }

    @Override
    public String name() {
        return "slack";
    }

    /** Slack allows about one message per second per channel, with short bursts. */
    @Override
    public RateLimit rateLimit() {
        return new RateLimit(1.0, 4);
    }

    @Override
    public boolean remembersAlertMessages() {
        return true;
    }

    @Override
    public void useAlertMessages(AlertMessages alertMessages) {
        this.alertMessages = alertMessages;
    }

    /**
     * This channel with an SDK client that calls the Web API at {@code sink}, and a Block Kit message to a channel
     * there, posted with a bot token sealed like a customer's.
     */
    @Override
    public Optional<Rehearsal> rehearsal(URI sink) {
        if (rehearsalApi == null) {
            return Optional.empty();
        }
        Slack sinkOnly = rehearsalApi.apply(sink);
        return Optional.of(Rehearsal.of(new SlackChannel(sinkOnly.methods(), secrets), IntegrationKind.slack,
                new SlackChannelConfig("C0REHEARSAL", "rehearsal"), Map.of(SlackKind.BOT_TOKEN, secrets.seal(
                        "xoxb-rehearsal", SecretPurposes.credential(Rehearsal.WORKSPACE,
                                Rehearsal.integrationId(IntegrationKind.slack), SlackKind.BOT_TOKEN))), Map.of(),
                sinkOnly));
    }

    @Override
    public DeliveryOutcome deliver(DeliveryRequest request) {
        Notification notification = request.notification();
        IntegrationConfig integration = request.integration();
        String channelId = notification.getDestination().getTarget();
        String channelName = request.channel() != null && request.channel().name() != null ? request.channel().name()
                : channelId;
        if (SlackKind.REVOKED.equals(integration.properties().get(SlackKind.CONNECTION))) {
            return disconnected("the Slack app was uninstalled or its token revoked: reconnect Slack");
        }
        String token = credentials.open(integration, SlackKind.BOT_TOKEN);
        if (token == null) {
            return disconnected("Slack is not connected: connect the integration first");
        }
        PlatformEvent event = notification.getEvent();
        String destinationId = notification.getDestination().getDestinationId();
        SlackMessage message = formatter.format(notification);
        String resolvedAlert = alertMessages == null ? null : AlertMessages.resolvedAlertId(event);
        Optional<AlertMessages.Posted> original = resolvedAlert == null ? Optional.empty()
                : alertMessages.find(destinationId, resolvedAlert);
        Sent sent = null;
        if (original.isPresent()) {
            sent = resolve(token, integration, channelId, event, message, original.get().reference());
        }
        if (sent == null) {
            // not an alert's end, or its message is unknown, expired or gone: a message of its own
            sent = postJoiningIfNeeded(token, integration, channelId, channelName, message);
        }
        String triggeredAlert = alertMessages == null ? null : AlertMessages.triggeredAlertId(event);
        if (triggeredAlert != null && sent.outcome() instanceof DeliveryOutcome.Delivered && sent.ts() != null) {
            alertMessages.remember(destinationId, triggeredAlert, Map.of(CHANNEL, sent.channel(), TS, sent.ts(),
                    TEXT, message.text(), BLOCKS, formatter.blocksJson(message.blocks())));
        }
        log.debug("slack attempt notification={} event={} channel={} outcome={}", notification.getNotificationId(),
                event.getEventId(), channelId, sent.outcome());
        return sent.outcome();
    }

    /** Reference keys of an alert's Slack message in {@link AlertMessages}. */
    static final String CHANNEL = "channel";
    static final String TS = "ts";
    static final String TEXT = "text";
    static final String BLOCKS = "blocks";
    /** chat.update/thread answers meaning the original is not there to change: post a new message instead. */
    private static final Set<String> ORIGINAL_GONE = Set.of("message_not_found", "thread_not_found");

    /** A post's outcome, and where the message went when Slack accepted it. */
    private record Sent(DeliveryOutcome outcome, String channel, String ts) {
        static Sent of(DeliveryOutcome outcome) {
            return new Sent(outcome, null, null);
        }
    }

    /**
     * The alert's message is known: edit it in place (default) or answer in its thread, as the channel or
     * integration says. Null when the original is gone, so the caller posts a new message.
     */
    private Sent resolve(String token, IntegrationConfig integration, String channelId, PlatformEvent event,
                         SlackMessage message, Map<String, String> original) {
        String originalChannel = original.getOrDefault(CHANNEL, channelId);
        String ts = original.get(TS);
        if (ts == null) {
            return null;
        }
        if (SlackKind.RESOLVED_THREAD.equals(SlackKind.resolvedAlerts(integration.properties(), channelId))) {
            Sent reply = post(token, originalChannel, message, ts);
            return reply.outcome() == ORIGINAL_NOT_FOUND ? null : reply;
        }
        SlackMessageFormatter.SlackUpdate update = formatter.resolvedUpdate(event, original.get(TEXT),
                original.get(BLOCKS));
        try {
            ChatUpdateResponse response = slack.chatUpdate(r -> r.token(token).channel(originalChannel).ts(ts)
                    .text(update.text()).blocksAsString(update.blocksJson())
                    .attachmentsAsString(update.attachmentsJson()));
            if (response.isOk()) {
                return new Sent(new DeliveryOutcome.Delivered(), originalChannel, ts);
            }
            if (ORIGINAL_GONE.contains(response.getError())) {
                return null;
            }
            if ("cant_update_message".equals(response.getError()) || "edit_window_closed".equals(response.getError())) {
                // the workspace forbids editing old messages: say it in the alert's thread instead
                Sent reply = post(token, originalChannel, message, ts);
                return reply.outcome() == ORIGINAL_NOT_FOUND ? null : reply;
            }
            return Sent.of(classify(response.getError(), response.getNeeded(), response.getHttpResponseHeaders(),
                    200));
        } catch (SlackApiException e) {
            return Sent.of(classify(e));
        } catch (IOException e) {
            return Sent.of(ioFailure(e));
        }
    }

    private Sent postJoiningIfNeeded(String token, IntegrationConfig integration, String channelId,
                                     String channelName, SlackMessage message) {
        Sent sent = post(token, channelId, message, null);
        if (sent.outcome() == NOT_IN_CHANNEL) {
            return joinAndRetry(token, integration, channelId, channelName, message);
        }
        return sent;
    }

    private Sent post(String token, String channelId, SlackMessage message, String threadTs) {
        try {
            ChatPostMessageResponse response = slack.chatPostMessage(r -> r.token(token).channel(channelId)
                    .text(message.text()).blocks(message.blocks()).threadTs(threadTs)
                    .linkNames(false).unfurlLinks(false).unfurlMedia(false));
            if (response.isOk()) {
                return new Sent(new DeliveryOutcome.Delivered(),
                        response.getChannel() != null ? response.getChannel() : channelId, response.getTs());
            }
            if ("not_in_channel".equals(response.getError())) {
                return Sent.of(NOT_IN_CHANNEL);
            }
            if (threadTs != null && ORIGINAL_GONE.contains(response.getError())) {
                return Sent.of(ORIGINAL_NOT_FOUND);
            }
            return Sent.of(classify(response.getError(), response.getNeeded(), response.getHttpResponseHeaders(), 200));
        } catch (SlackApiException e) {
            return Sent.of(classify(e));
        } catch (IOException e) {
            return Sent.of(ioFailure(e));
        }
    }

    // a DeliveryOutcome is sealed, so "not in channel" is carried as a dedicated Permanent instance compared by identity
    private static final DeliveryOutcome NOT_IN_CHANNEL = new DeliveryOutcome.Permanent(FailureReason.destination_gone,
            "not_in_channel", 200, IntegrationEffect.UNHEALTHY);
    // likewise: the thread to answer in is gone
    private static final DeliveryOutcome ORIGINAL_NOT_FOUND = new DeliveryOutcome.Permanent(FailureReason.client,
            "thread_not_found", 200, IntegrationEffect.NONE);

    private Sent joinAndRetry(String token, IntegrationConfig integration, String channelId,
                              String channelName, SlackMessage message) {
        String invite = "the app is not a member of " + channelName + ": invite the app to " + channelName
                + " (/invite @app in the channel)";
        if (!grantedScopes(integration).contains("channels:join")) {
            return Sent.of(new DeliveryOutcome.Permanent(FailureReason.destination_gone, invite, 200,
                    IntegrationEffect.UNHEALTHY));
        }
        try {
            ConversationsJoinResponse joined = slack.conversationsJoin(r -> r.token(token).channel(channelId));
            if (!joined.isOk()) {
                // private channels cannot be joined by the app; only an invitation helps
                return Sent.of(new DeliveryOutcome.Permanent(FailureReason.destination_gone,
                        invite + " (joining failed: " + joined.getError() + ")", 200, IntegrationEffect.UNHEALTHY));
            }
        } catch (SlackApiException e) {
            return Sent.of(classify(e));
        } catch (IOException e) {
            return Sent.of(ioFailure(e));
        }
        log.info("slack app joined channel={} integration={}", channelId, integration.id());
        Sent second = post(token, channelId, message, null);
        return second.outcome() == NOT_IN_CHANNEL
                ? Sent.of(new DeliveryOutcome.Permanent(FailureReason.destination_gone, invite, 200,
                        IntegrationEffect.UNHEALTHY))
                : second;
    }

    /** Slack answered HTTP 200 with {@code ok:false}: its error code says what happened. */
    static DeliveryOutcome classify(String slackError, String neededScope, Map<String, List<String>> headers,
                                    int status) {
        String error = slackError == null ? "unknown_error" : slackError;
        String detail = "Slack error " + error + (neededScope == null ? "" : " (needs scope " + neededScope + ")");
        if ("ratelimited".equals(error) || "rate_limited".equals(error)) {
            return new DeliveryOutcome.Retryable(FailureReason.rate_limited, detail,
                    RetryAfter.parse(headers, Instant.now()), status);
        }
        if (SLACK_SIDE_TROUBLE.contains(error)) {
            return new DeliveryOutcome.Retryable(FailureReason.server, detail, null, status);
        }
        if ("token_expired".equals(error)) {
            // a rotating token expired before integration-service refreshed it: a later attempt uses the new one
            return new DeliveryOutcome.Retryable(FailureReason.auth, detail
                    + "; integration-service refreshes rotating tokens", null, status);
        }
        if (TOKEN_BROKEN.contains(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, "the Slack token no longer works (" + error
                    + "); reconnect Slack", status, IntegrationEffect.UNHEALTHY);
        }
        if ("missing_scope".equals(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, detail + ": reconnect Slack to grant it", status,
                    IntegrationEffect.UNHEALTHY);
        }
        if (CHANNEL_GONE.contains(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.destination_missing, detail
                    + ": the channel was deleted, archived or is not visible to the app; pick another channel", status,
                    IntegrationEffect.UNHEALTHY);
        }
        if (BAD_MESSAGE.contains(error)) {
            return new DeliveryOutcome.Permanent(FailureReason.invalid, detail, status, IntegrationEffect.NONE);
        }
        return new DeliveryOutcome.Permanent(FailureReason.client, detail, status, IntegrationEffect.NONE);
    }

    /** Slack answered with an HTTP status other than 200 (429 with Retry-After, 5xx …). */
    static DeliveryOutcome classify(SlackApiException e) {
        int status = e.getResponse().code();
        DeliveryOutcome byStatus = HttpStatusClassifier.classify(status, e.getResponse().header("Retry-After"),
                Instant.now());
        if (e.getError() != null && e.getError().getError() != null && status < 500 && status != 429) {
            return byStatus instanceof DeliveryOutcome.Permanent
                    ? classify(e.getError().getError(), e.getError().getNeeded(), null, status) : byStatus;
        }
        String slackError = e.getError() == null ? null : e.getError().getError();
        return Outcomes.suffixed(byStatus, slackError == null ? null : " " + slackError);
    }

    static DeliveryOutcome ioFailure(IOException e) {
        return TransportFailures.classify(e, "Slack");
    }

    private static Set<String> grantedScopes(IntegrationConfig integration) {
        String scopes = integration.properties().getOrDefault(SlackKind.SCOPES, "");
        return Set.copyOf(Arrays.stream(scopes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    private static DeliveryOutcome disconnected(String detail) {
        return new DeliveryOutcome.Permanent(FailureReason.auth, detail, 0, IntegrationEffect.DISCONNECTED);
    }
}
