package com.messagingconnectors.integration.slack;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Requester;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.integration.status.StatusWriter;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.methods.response.oauth.OAuthV2AccessResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What integration-service does with Slack: stores an installation (oauth.v2.access), lists channels for picking,
 * refreshes rotating tokens before they expire, and marks integrations disconnected when Slack says the app is gone.
 * Every Slack API call of integration-service is here; controllers only do HTTP. Tokens are sealed by
 * {@link IntegrationService#saveCredentials} and never logged.
 */
@Service
public class SlackConnector {
    private static final Logger log = LoggerFactory.getLogger(SlackConnector.class);
    public static final String PROVIDER = "slack";
    private static final int MAX_CHANNEL_PAGES = 50;
    /** What slack-sender reads to dead-letter at once instead of calling Slack with a dead token. */
    private static final Map<String, String> REVOKED = Map.of(SlackKind.CONNECTION, SlackKind.REVOKED);

    private final MethodsClient slack;
    private final SlackProperties properties;
    private final IntegrationService integrations;
    private final SlackInstallations installations;
    private final StatusWriter status;
    private final ConnectFlowStates flows;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, CachedChannels> channelCache = new ConcurrentHashMap<>();

    SlackConnector(MethodsClient slackMethodsClient, SlackProperties properties, IntegrationService integrations,
                   SlackInstallations installations, StatusWriter status, ConnectFlowStates flows) {
        this.slack = slackMethodsClient;
        this.flows = flows;
        this.properties = properties;
        this.integrations = integrations;
        this.installations = installations;
        this.status = status;
    }

    /** A Slack channel as the admin picks it; {@code id} goes into ChannelConfig.id, {@code name} is "#name". */
    public record SlackChannelView(String id, String name, boolean isPrivate, boolean isMember) {
    }

    private record CachedChannels(long integrationVersion, Instant at, List<SlackChannelView> channels) {
    }

    /** A problem on the way back from Slack, shown to the admin as a page; {@code unreachable}: Slack's fault. */
    static final class ConnectFailed extends Exception {
        final boolean unreachable;

        ConnectFailed(boolean unreachable, String message) {
            super(message);
            this.unreachable = unreachable;
        }
    }

    /**
     * Starts connecting (the API's {@code …/slack:connect} and the console's Connect button): the ticket of a
     * one-time start URL for the console session of the calling key (see {@code oauth.ConnectLinks}).
     */
    public String beginConnect(String workspaceId, String id, Requester requester) {
        IntegrationConfig integration = integrations.get(workspaceId, id);
        if (integration.kind() != IntegrationKind.slack) {
            throw new DomainException.WrongKind("integration " + id + " is a " + integration.kind()
                    + " integration; only Slack integrations connect to Slack");
        }
        if (!properties.appConfigured()) {
            throw new DomainException.Unavailable("the Slack app is not configured on this server:"
                    + " set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (see docs/slack.md)");
        }
        String ticket = flows.begin(PROVIDER, workspaceId, id, requester, Map.of());
        log.info("slack connect started workspace={} integration={}", workspaceId, id);
        return ticket;
    }

    /** Exchanges the callback's code for the bot token and stores the installation on the integration. */
    IntegrationConfig completeInstall(String workspaceId, String integrationId, String code) throws ConnectFailed {
        OAuthV2AccessResponse answer;
        try {
            answer = slack.oauthV2Access(r -> r.clientId(properties.clientId()).clientSecret(properties.clientSecret())
                    .code(code).redirectUri(properties.redirectUri()));
        } catch (IOException | SlackApiException e) {
            log.warn("slack oauth.v2.access failed workspace={} integration={}: {}", workspaceId, integrationId,
                    e.getClass().getSimpleName());
            throw new ConnectFailed(true, "Slack could not be reached to finish connecting ("
                    + e.getClass().getSimpleName() + "). Try again in a moment.");
        }
        if (!answer.isOk()) {
            throw new ConnectFailed(false, "Slack refused to finish connecting: " + answer.getError()
                    + ". Start connecting again; if it keeps failing, check the app's client id, secret and redirect URL.");
        }
        if (answer.getAccessToken() == null || !"bot".equals(answer.getTokenType())) {
            throw new ConnectFailed(false, "Slack did not grant a bot token; install the app with"
                    + " its bot scopes.");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(SlackKind.BOT_TOKEN, answer.getAccessToken());
        if (answer.getRefreshToken() != null) {
            secrets.put(SlackKind.REFRESH_TOKEN, answer.getRefreshToken());
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(SlackKind.TEAM_ID, answer.getTeam() == null ? "" : answer.getTeam().getId());
        facts.put(SlackKind.TEAM_NAME, answer.getTeam() == null ? "" : answer.getTeam().getName());
        facts.put(SlackKind.SCOPES, answer.getScope() == null ? "" : answer.getScope());
        facts.put(SlackKind.BOT_USER_ID, answer.getBotUserId() == null ? "" : answer.getBotUserId());
        facts.put(SlackKind.TOKEN_EXPIRES_AT, expiry(answer.getExpiresIn()));
        facts.put(SlackKind.CONNECTION, "connected");
        IntegrationConfig saved;
        try {
            saved = integrations.saveCredentials(workspaceId, integrationId, secrets, facts);
        } catch (DomainException e) {
            throw new ConnectFailed(false, "The integration could not be updated: " + e.getMessage());
        }
        channelCache.remove(workspaceId + "/" + integrationId);
        status.connected(workspaceId, integrationId, "Slack connected to " + facts.get(SlackKind.TEAM_NAME));
        log.info("slack connected workspace={} integration={} team={} scopes={} rotating={}", workspaceId,
                integrationId, facts.get(SlackKind.TEAM_ID), facts.get(SlackKind.SCOPES),
                answer.getRefreshToken() != null);
        return saved;
    }

    /** Public and private channels the bot can see, not archived, all pages; reused for a minute. */
    public List<SlackChannelView> channels(String workspaceId, String integrationId) {
        IntegrationConfig integration = integrations.get(workspaceId, integrationId);
        String cacheKey = workspaceId + "/" + integrationId;
        CachedChannels cached = channelCache.get(cacheKey);
        if (cached != null && cached.integrationVersion() == integration.version()
                && cached.at().plus(properties.channelCacheTtl()).isAfter(clock.instant())) {
            return cached.channels();
        }
        String token = connectedToken(integration);
        List<SlackChannelView> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_CHANNEL_PAGES; page++) {
            String pageCursor = cursor;
            ConversationsListResponse answer;
            try {
                answer = slack.conversationsList(r -> r.token(token).excludeArchived(true).limit(200)
                        .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL))
                        .cursor(pageCursor));
            } catch (SlackApiException e) {
                if (e.getResponse().code() == 429) {
                    throw new DomainException.Unavailable("Slack is rate-limiting the channel list;"
                            + " try again in " + e.getResponse().header("Retry-After", "a few") + " seconds");
                }
                throw new DomainException.UpstreamFailed("Slack answered HTTP " + e.getResponse().code()
                        + " to conversations.list; try again");
            } catch (IOException e) {
                throw new DomainException.UpstreamFailed("Slack could not be reached ("
                        + e.getClass().getSimpleName() + "); try again");
            }
            if (!answer.isOk()) {
                throw switch (answer.getError()) {
                    case "invalid_auth", "token_revoked", "account_inactive", "not_authed" ->
                            new DomainException.Conflict("the Slack token no longer works ("
                                    + answer.getError() + "); connect Slack again");
                    case "missing_scope" -> new DomainException.Conflict("the app lacks the scope "
                            + answer.getNeeded() + " to list channels; connect Slack again to grant it");
                    case "ratelimited" -> new DomainException.Unavailable(
                            "Slack is rate-limiting the channel list; try again shortly");
                    default -> new DomainException.UpstreamFailed("Slack refused to list channels: "
                            + answer.getError());
                };
            }
            for (Conversation c : answer.getChannels()) {
                if (!c.isArchived()) {
                    out.add(new SlackChannelView(c.getId(), "#" + c.getName(), c.isPrivate(), c.isMember()));
                }
            }
            cursor = answer.getResponseMetadata() == null ? null : answer.getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isBlank()) {
                break;
            }
        }
        out.sort(java.util.Comparator.comparing(SlackChannelView::name));
        List<SlackChannelView> channels = List.copyOf(out);
        channelCache.put(cacheKey, new CachedChannels(integration.version(), clock.instant(), channels));
        return channels;
    }

    /**
     * Slack said the app was uninstalled or its bot token revoked: every integration of that Slack team is marked
     * disconnected (property read by slack-sender, which then dead-letters at once) and reported on connectors.status.
     */
    int markRevoked(String teamId, List<String> revokedBotUserIds, String why) {
        int marked = 0;
        for (IntegrationConfig integration : installations.byTeam(teamId)) {
            String botUser = integration.properties().getOrDefault(SlackKind.BOT_USER_ID, "");
            boolean ours = revokedBotUserIds == null || revokedBotUserIds.isEmpty() || botUser.isEmpty()
                    || revokedBotUserIds.contains(botUser);
            if (!ours || SlackKind.REVOKED.equals(integration.properties().get(SlackKind.CONNECTION))) {
                continue;
            }
            status.disconnected(integration, REVOKED, why + "; connect Slack again to resume notifications");
            log.info("slack integration disconnected workspace={} integration={} team={} reason=token_revoked",
                    integration.workspaceId(), integration.id(), teamId);
            marked++;
        }
        return marked;
    }

    /**
     * Token rotation: refreshes every rotating bot token that expires soon and stores the new access and refresh
     * tokens. Only integration-service writes connectors.config, so it is the one that refreshes (docs/decisions/0008).
     */
    @Scheduled(fixedDelayString = "${connectors.slack.refresh-check-interval-ms:60000}", initialDelay = 10_000)
    public void refreshExpiringTokens() {
        if (!properties.appConfigured()) {
            return;
        }
        Instant due = clock.instant().plus(properties.refreshBeforeExpiry());
        for (IntegrationConfig integration : installations.all()) {
            String expiresAt = integration.properties().getOrDefault(SlackKind.TOKEN_EXPIRES_AT, "");
            if (expiresAt.isEmpty() || !integration.credentials().containsKey(SlackKind.REFRESH_TOKEN)
                    || SlackKind.REVOKED.equals(integration.properties().get(SlackKind.CONNECTION))
                    || Instant.parse(expiresAt).isAfter(due)) {
                continue;
            }
            try {
                refresh(integration);
            } catch (RuntimeException e) {
                log.warn("slack token refresh failed workspace={} integration={}: {}", integration.workspaceId(),
                        integration.id(), e.getMessage());
            }
        }
    }

    void refresh(IntegrationConfig integration) {
        String refreshToken = integrations.openCredential(integration, SlackKind.REFRESH_TOKEN).orElseThrow();
        OAuthV2AccessResponse answer;
        try {
            answer = slack.oauthV2Access(r -> r.clientId(properties.clientId()).clientSecret(properties.clientSecret())
                    .grantType("refresh_token").refreshToken(refreshToken));
        } catch (IOException | SlackApiException e) {
            throw new IllegalStateException("Slack unreachable (" + e.getClass().getSimpleName() + "); retried later");
        }
        if (!answer.isOk()) {
            if ("invalid_refresh_token".equals(answer.getError()) || "token_revoked".equals(answer.getError())) {
                status.disconnected(integration, REVOKED, "Slack refused to refresh the token ("
                        + answer.getError() + "); connect Slack again");
            }
            throw new IllegalStateException("Slack refused the refresh: " + answer.getError());
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(SlackKind.BOT_TOKEN, answer.getAccessToken());
        if (answer.getRefreshToken() != null) {
            secrets.put(SlackKind.REFRESH_TOKEN, answer.getRefreshToken());
        }
        integrations.saveCredentials(integration.workspaceId(), integration.id(), secrets,
                Map.of(SlackKind.TOKEN_EXPIRES_AT, expiry(answer.getExpiresIn())));
        log.info("slack token refreshed workspace={} integration={}", integration.workspaceId(), integration.id());
    }

    private String connectedToken(IntegrationConfig integration) {
        if (!"slack".equals(integration.kind().name())) {
            throw new DomainException.WrongKind("integration " + integration.id() + " is a "
                    + integration.kind() + " integration, not Slack");
        }
        if (SlackKind.REVOKED.equals(integration.properties().get(SlackKind.CONNECTION))) {
            throw new DomainException.Conflict("the Slack app was uninstalled or its token revoked; connect"
                    + " Slack again");
        }
        return integrations.openCredential(integration, SlackKind.BOT_TOKEN).orElseThrow(() -> new DomainException.Conflict(
                "Slack is not connected yet: POST …/slack:connect and finish the flow first"));
    }

    private String expiry(Integer expiresInSeconds) {
        return expiresInSeconds == null || expiresInSeconds <= 0 ? ""
                : clock.instant().plusSeconds(expiresInSeconds).toString();
    }
}
