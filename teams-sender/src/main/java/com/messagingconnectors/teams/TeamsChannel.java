package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.TeamsChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
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
import com.messagingconnectors.delivery.TransportFailures;
import com.messagingconnectors.delivery.alerts.AlertMessages;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers a notification to Microsoft Teams as an Adaptive Card, in one of two modes per integration:
 * <ul>
 * <li>Graph (the connect flow's result): {@code POST /v1.0/teams/{teamId}/channels/{channelId}/messages} with the
 * card as an attachment, as the signed-in user, with an access token redeemed from the stored refresh token;</li>
 * <li>Workflows (property {@code mode=workflow}): the card in the envelope Teams Workflows webhooks accept, posted to
 * the stored (secret) workflow URL with delivery-core's SSRF-guarded client, like every customer URL.</li>
 * </ul>
 * Classifies every answer (see {@link DeliveryOutcome}); never logs a token or the workflow URL.
 *
 * <p>Alerts: with Graph, the id of an {@code alert.triggered}'s message is remembered in {@link AlertMessages}, and
 * the {@code alert.resolved} with the same alert id is posted as a reply to it. A Workflows URL answers without a
 * message id, so there a resolution is a card of its own.
 */
public class TeamsChannel implements NotificationChannel {
    private static final Logger log = LoggerFactory.getLogger(TeamsChannel.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    private final TeamsProperties properties;
    private final SecretBox secrets;
    private final Credentials credentials;
    /** Graph and the identity platform only: configured Microsoft endpoints, never a customer URL. */
    private final HttpClient http;
    /** The customer's Workflows URL goes through delivery-core's SSRF-guarded client. */
    private final GuardedHttpClient workflows;
    private final AccessTokens tokens;
    private final Clock clock;
    /** Set by the engine before the first delivery; null when the channel runs without one (unit tests). */
    private volatile AlertMessages alertMessages;

    public TeamsChannel(TeamsProperties properties, SecretBox secrets, GuardedHttpClient workflows) {
        this(properties, secrets, HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build(), workflows, Clock.systemUTC());
    }

    TeamsChannel(TeamsProperties properties, SecretBox secrets, HttpClient http, GuardedHttpClient workflows,
                 Clock clock) {
        this.properties = properties;
        this.secrets = secrets;
        this.credentials = new Credentials(secrets);
        this.http = http;
        this.workflows = workflows;
        this.clock = clock;
        this.tokens = new AccessTokens(properties, http, clock);
    }

    /** The guarded client's settings for Workflows URLs, from this sender's timeouts. */
    public static GuardedHttpClient.Settings workflowClientSettings(TeamsProperties properties) {
        return new GuardedHttpClient.Settings(properties.connectTimeout(), properties.requestTimeout(), 200,
                "messaging-connectors-teams/0.1");
    }

    @Override
    public String name() {
        return "teams";
    }

    /**
     * Evenly paced (burst 1): Graph counts requests per channel over short windows, and a burst sent at the limit
     * arrives with network jitter that makes part of it look too fast (429s in the benchmark).
     */
    @Override
    public RateLimit rateLimit() {
        return new RateLimit(properties.messagesPerSecond(), 1);
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
     * This channel with a Workflows client that reaches only {@code sink}, and an Adaptive Card posted to a Workflows
     * URL there, sealed like a customer's. Graph is not rehearsed: it would call Microsoft with a customer's token.
     */
    @Override
    public Optional<Rehearsal> rehearsal(URI sink) {
        GuardedHttpClient sinkOnly = workflows.rehearsalCopy(sink);
        return Optional.of(Rehearsal.of(new TeamsChannel(properties, secrets, http, sinkOnly, clock),
                IntegrationKind.teams, new TeamsChannelConfig("rehearsal", "rehearsal", "rehearsal", true),
                Map.of(TeamsKind.WORKFLOW_URL, secrets.seal(sink.toString(), SecretPurposes.credential(
                        Rehearsal.WORKSPACE, Rehearsal.integrationId(IntegrationKind.teams), TeamsKind.WORKFLOW_URL))),
                Map.of(TeamsKind.MODE, TeamsKind.MODE_WORKFLOW), sinkOnly));
    }

    @Override
    public DeliveryOutcome deliver(DeliveryRequest request) {
        IntegrationConfig integration = request.integration();
        ObjectNode card = AdaptiveCardFormatter.format(request.notification());
        if (TeamsKind.MODE_WORKFLOW.equals(integration.properties().get(TeamsKind.MODE))) {
            return deliverToWorkflow(request, card);
        }
        return deliverWithGraph(request, card);
    }

    private DeliveryOutcome deliverToWorkflow(DeliveryRequest request, ObjectNode card) {
        IntegrationConfig integration = request.integration();
        String url = credential(integration, TeamsKind.WORKFLOW_URL);
        if (url == null) {
            return notConnected("no Teams Workflows URL is stored");
        }
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("type", "message");
        ObjectNode attachment = envelope.putArray("attachments").addObject();
        attachment.put("contentType", AdaptiveCardFormatter.CONTENT_TYPE);
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        GuardedHttpClient.Answer response;
        try {
            response = workflows.postJson(URI.create(url), Map.of("Accept", "application/json"),
                    JSON.writeValueAsBytes(envelope));
        } catch (IllegalArgumentException badUrl) {
            return invalidWorkflowUrl("is not a valid URL");
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        } catch (GuardedHttpClient.NoAnswer noAnswer) {
            if (noAnswer.refused() && noAnswer.outcome() instanceof DeliveryOutcome.Permanent refused) {
                return invalidWorkflowUrl("was refused: " + refused.detail());
            }
            return noAnswer.outcome();
        }
        int status = response.status();
        if (status == 404 || status == 410) {
            return new DeliveryOutcome.Permanent(FailureReason.destination_gone, "Teams Workflows answered HTTP "
                    + status + ": the workflow was deleted or turned off; create a new one and set its URL",
                    status, IntegrationEffect.UNHEALTHY);
        }
        if (status == 401 || status == 403) {
            return new DeliveryOutcome.Permanent(FailureReason.auth, "Teams Workflows answered HTTP " + status
                    + ": the workflow refuses the post (its trigger must allow 'Anyone'); fix the workflow or set a"
                    + " new URL", status, IntegrationEffect.UNHEALTHY);
        }
        return classify(status, response.retryAfter(), "Teams Workflows");
    }

    private static DeliveryOutcome invalidWorkflowUrl(String problem) {
        return new DeliveryOutcome.Permanent(FailureReason.invalid, "the stored Teams Workflows URL " + problem
                + "; set a new Workflows URL", 0, IntegrationEffect.UNHEALTHY);
    }

    private DeliveryOutcome deliverWithGraph(DeliveryRequest request, ObjectNode card) {
        IntegrationConfig integration = request.integration();
        TeamsChannelConfig channel = request.channel() instanceof TeamsChannelConfig t ? t : null;
        String refreshToken = credential(integration, TeamsKind.REFRESH_TOKEN);
        if (refreshToken == null) {
            return notConnected("Microsoft Teams is not connected (no sign-in stored)");
        }
        if (channel == null || channel.teamId() == null || channel.teamId().isBlank()) {
            return new DeliveryOutcome.Permanent(FailureReason.destination_missing, "channel "
                    + (channel == null ? request.notification().getDestination().getTarget() : channel.id())
                    + " has no team; pick the team and channel again", 0, IntegrationEffect.UNHEALTHY);
        }
        String channelPath = "/v1.0/teams/" + encode(channel.teamId()) + "/channels/" + encode(channel.id())
                + "/messages";
        PlatformEvent event = request.notification().getEvent();
        String destinationId = request.notification().getDestination().getDestinationId();
        String resolvedAlert = alertMessages == null ? null : AlertMessages.resolvedAlertId(event);
        String replyTo = resolvedAlert == null ? null : alertMessages.find(destinationId, resolvedAlert)
                .map(posted -> posted.reference().get(MESSAGE_ID)).orElse(null);
        try {
            if (replyTo != null) {
                // Graph lets ChannelMessage.Send reply to a channel message; editing one needs a permission the app
                // does not ask for, so a resolved alert is a reply under the alert's card
                HttpResponse<String> reply = send(request, integration, refreshToken,
                        URI.create(properties.graph(channelPath + "/" + encode(replyTo) + "/replies")), card);
                if (reply.statusCode() != 404) {
                    return graphOutcome(reply, channel);
                }
                // the alert's message was deleted: post the resolution as a message of its own
            }
            HttpResponse<String> response = send(request, integration, refreshToken,
                    URI.create(properties.graph(channelPath)), card);
            DeliveryOutcome outcome = graphOutcome(response, channel);
            String triggeredAlert = alertMessages == null ? null : AlertMessages.triggeredAlertId(event);
            String messageId = messageId(response.body());
            if (triggeredAlert != null && outcome instanceof DeliveryOutcome.Delivered && messageId != null) {
                alertMessages.remember(destinationId, triggeredAlert, Map.of(MESSAGE_ID, messageId,
                        TEAM_ID, channel.teamId(), CHANNEL_ID, channel.id()));
            }
            return outcome;
        } catch (Failure f) {
            return f.outcome;
        }
    }

    /** Reference keys of an alert's Teams message in {@link AlertMessages}. */
    static final String MESSAGE_ID = "messageId";
    static final String TEAM_ID = "teamId";
    static final String CHANNEL_ID = "channelId";

    /** Posts the card to {@code uri} as the signed-in user, renewing the access token once when Graph refuses it. */
    private HttpResponse<String> send(DeliveryRequest request, IntegrationConfig integration, String refreshToken,
                                      URI uri, ObjectNode card) throws Failure {
        String tenant = integration.properties().get(TeamsKind.TENANT_ID);
        ObjectNode message = graphMessage(card);
        for (int attempt = 1; ; attempt++) {
            AccessTokens.Result token = tokens.get(integration.id(), tenant, refreshToken, attempt > 1);
            if (token.failure() != null) {
                throw new Failure(token.failure());
            }
            HttpResponse<String> response = post(uri, token.accessToken(), message);
            if (response.statusCode() == 401 && attempt == 1) {
                // the access token expired or was revoked early: redeem the refresh token again, once
                log.info("teams access token refused, renewing notification={} integration={}",
                        request.notification().getNotificationId(), integration.id());
                continue;
            }
            return response;
        }
    }

    /** The id of the chatMessage Graph created, from its answer. */
    private static String messageId(String body) {
        try {
            String id = JSON.readTree(body == null || body.isBlank() ? "{}" : body).path("id").asString("");
            return id.isEmpty() ? null : id;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A chatMessage with the card as its one attachment, referenced from the body as Graph requires. */
    static ObjectNode graphMessage(ObjectNode card) {
        String attachmentId = UUID.randomUUID().toString();
        ObjectNode message = JSON.createObjectNode();
        ObjectNode body = message.putObject("body");
        body.put("contentType", "html");
        body.put("content", "<attachment id=\"" + attachmentId + "\"></attachment>");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("id", attachmentId);
        attachment.put("contentType", AdaptiveCardFormatter.CONTENT_TYPE);
        attachment.putNull("contentUrl");
        try {
            attachment.put("content", JSON.writeValueAsString(card));
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
        return message;
    }

    private DeliveryOutcome graphOutcome(HttpResponse<String> response, ChannelConfig channel) {
        int status = response.statusCode();
        String graphError = graphError(response.body());
        String where = "channel " + (channel.name() != null ? channel.name() : channel.id());
        return switch (status) {
            case 401 -> new DeliveryOutcome.Permanent(FailureReason.auth, "Microsoft Graph refused a fresh access"
                    + " token (HTTP 401" + graphError + "); reconnect Microsoft Teams in Integrations", status,
                    IntegrationEffect.UNHEALTHY);
            case 403 -> new DeliveryOutcome.Permanent(FailureReason.auth, "Microsoft Graph forbids posting to " + where
                    + " (HTTP 403" + graphError + "): the signed-in user may have left the team or lost permission"
                    + " (ChannelMessage.Send); reconnect with a member of the team or pick another channel", status,
                    IntegrationEffect.UNHEALTHY);
            case 404 -> new DeliveryOutcome.Permanent(FailureReason.destination_gone, "Microsoft Graph does not find "
                    + where + " (HTTP 404" + graphError + "): the team or channel was deleted or the app lost access;"
                    + " pick another channel", status, IntegrationEffect.UNHEALTHY);
            default -> {
                DeliveryOutcome outcome = classify(status, response.headers().firstValue("Retry-After").orElse(null),
                        "Microsoft Graph");
                yield outcome instanceof DeliveryOutcome.Permanent ? Outcomes.suffixed(outcome, graphError) : outcome;
            }
        };
    }

    private DeliveryOutcome classify(int status, String retryAfter, String who) {
        return Outcomes.prefixed(HttpStatusClassifier.classify(status, retryAfter, clock.instant()),
                who + " answered ");
    }

    /** Graph's error code and message, e.g. " Forbidden: Missing role permissions", or "" when there is none. */
    private static String graphError(String body) {
        try {
            JsonNode error = JSON.readTree(body == null || body.isBlank() ? "{}" : body).path("error");
            String code = error.path("code").asString("");
            String message = error.path("message").asString("");
            if (code.isEmpty() && message.isEmpty()) {
                return "";
            }
            String text = " " + code + (message.isEmpty() ? "" : ": " + message);
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        } catch (JacksonException e) {
            return "";
        }
    }

    private HttpResponse<String> post(URI uri, String bearer, ObjectNode body) throws Failure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(TransportFailures.classify(e, uri.getHost()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(TransportFailures.interrupted(uri.getHost()));
        }
    }

    /** A transport failure already classified; an exception only to leave {@link #post} early. */
    private static final class Failure extends Exception {
        final DeliveryOutcome outcome;

        Failure(DeliveryOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    private String credential(IntegrationConfig integration, String name) {
        return credentials.open(integration, name);
    }

    private static DeliveryOutcome notConnected(String what) {
        return new DeliveryOutcome.Permanent(FailureReason.auth, what + "; connect Microsoft Teams in Integrations",
                0, IntegrationEffect.DISCONNECTED);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
