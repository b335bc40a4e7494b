package com.messagingconnectors.integration.teams;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.microsoft.MicrosoftJson;
import com.messagingconnectors.config.microsoft.TeamsScopes;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.integration.CustomerUrls;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Flow;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Requester;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What integration-service does with Microsoft Teams, for the API and the console: starts the sign-in (PKCE), redeems
 * its code and stores the refresh token, lists the signed-in user's teams and a team's channels from Microsoft Graph
 * as the user who connected, or stores a Teams Workflows URL instead. Every call to Microsoft goes through here
 * ({@link MicrosoftIdentity} is the client); secrets are sealed by {@link IntegrationService#saveCredentials}.
 */
@Service
public class TeamsConnector {
    static final String PROVIDER = "microsoft";
    static final String CODE_VERIFIER = "code_verifier";
    /** The channel a Workflows integration without channels gets, so that routing has a destination. */
    static final String WORKFLOW_CHANNEL = "workflow";
    private static final Logger log = LoggerFactory.getLogger(TeamsConnector.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IntegrationService integrations;
    private final MicrosoftIdentity microsoft;
    private final ConnectFlowStates flows;
    private final CustomerUrls customerUrls;

    TeamsConnector(IntegrationService integrations, MicrosoftIdentity microsoft, ConnectFlowStates flows,
                   CustomerUrls customerUrls) {
        this.integrations = integrations;
        this.microsoft = microsoft;
        this.flows = flows;
        this.customerUrls = customerUrls;
    }

    public record TeamView(String id, String name, String description) {
    }

    public record ChannelOption(String id, String name, String membershipType, String teamId) {
    }

    /** How a sign-in ended; the connect flow shows each as its page. */
    sealed interface SignIn {
        /** Connected as {@code user} (may be empty). */
        record Connected(String user) implements SignIn {
        }

        /** Microsoft could not be reached. */
        record Unreachable(String why) implements SignIn {
        }

        /** The organization requires an administrator to approve the app first. */
        record AdminConsentRequired() implements SignIn {
        }

        /** Microsoft refused the code; {@code error} as Microsoft described it. */
        record Refused(String error) implements SignIn {
        }

        /** The user did not grant offline_access, so there is no refresh token. */
        record NoOfflineAccess() implements SignIn {
        }

        /** The integration was deleted while the user signed in. */
        record IntegrationGone(String why) implements SignIn {
        }
    }

    /**
     * Starts the sign-in (the API's {@code …/teams:connect} and the console's Connect): a one-time start URL for the
     * console session of {@code requester} only (see {@code oauth.ConnectLinks}).
     */
    public String begin(String workspaceId, String integrationId, Requester requester) {
        teamsIntegration(workspaceId, integrationId);
        if (microsoft.properties().clientId().isBlank()) {
            throw new DomainException.Unavailable("Microsoft Teams sign-in is not configured on this"
                    + " installation: the operator must set connectors.teams.client-id and client-secret"
                    + " (CONNECTORS_TEAMS_CLIENT_ID / CONNECTORS_TEAMS_CLIENT_SECRET), see docs/teams.md");
        }
        String ticket = flows.begin(PROVIDER, workspaceId, integrationId, requester,
                Map.of(CODE_VERIFIER, codeVerifier()));
        return microsoft.properties().startUrl(ticket);
    }

    /** Redeems the callback's code (with the flow's PKCE verifier) and stores the refresh token. */
    SignIn completeSignIn(Flow flow, String code) {
        TokenAnswer tokens;
        try {
            tokens = microsoft.redeemCode(code, flow.extra().get(CODE_VERIFIER));
        } catch (MicrosoftIdentity.UnavailableException e) {
            log.warn("microsoft connect failed workspace={} integration={}: {}", flow.workspaceId(),
                    flow.integrationId(), e.getMessage());
            return new SignIn.Unreachable(e.getMessage());
        }
        if (!tokens.ok()) {
            log.warn("microsoft code exchange refused workspace={} integration={} error={}", flow.workspaceId(),
                    flow.integrationId(), tokens.describeError());
            if ("AADSTS65001".equals(tokens.errorCode()) || "consent_required".equals(tokens.error())) {
                return new SignIn.AdminConsentRequired();
            }
            return new SignIn.Refused(tokens.describeError());
        }
        if (tokens.refreshToken() == null) {
            return new SignIn.NoOfflineAccess();
        }
        JsonNode claims = MicrosoftJson.idTokenClaims(tokens.idToken());
        String user = claims.path("preferred_username").asString(claims.path("name").asString(""));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(TeamsKind.MODE, TeamsKind.MODE_GRAPH);
        facts.put(TeamsKind.TENANT_ID, claims.path("tid").asString(microsoft.properties().tenant()));
        facts.put("user", user);
        facts.put("scopes", tokens.scope() == null ? TeamsScopes.SIGN_IN : tokens.scope());
        try {
            integrations.saveCredentials(flow.workspaceId(), flow.integrationId(),
                    Map.of(TeamsKind.REFRESH_TOKEN, tokens.refreshToken()), facts);
        } catch (DomainException e) {
            return new SignIn.IntegrationGone(e.getMessage());
        }
        log.info("microsoft teams connected workspace={} integration={} tenant={}", flow.workspaceId(),
                flow.integrationId(), facts.get(TeamsKind.TENANT_ID));
        return new SignIn.Connected(user);
    }

    public List<TeamView> teams(String workspaceId, String id) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/me/joinedTeams", "your teams");
        List<TeamView> teams = new ArrayList<>();
        body.path("value").forEach(t -> teams.add(new TeamView(t.path("id").asString(""), t.path("displayName").asString(""),
                t.path("description").isNull() ? null : t.path("description").asString(null))));
        return teams;
    }

    public List<ChannelOption> channels(String workspaceId, String id, String teamId) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/teams/"
                + URLEncoder.encode(teamId, StandardCharsets.UTF_8) + "/channels", "the channels of team " + teamId);
        List<ChannelOption> channels = new ArrayList<>();
        body.path("value").forEach(c -> channels.add(new ChannelOption(c.path("id").asString(""),
                c.path("displayName").asString(""), c.path("membershipType").asString("standard"), teamId)));
        return channels;
    }

    /**
     * Uses a Teams Workflows webhook instead of the sign-in: the URL is a secret (sealed, never returned). An
     * integration without channels gets one for the workflow, so that routing has a destination.
     */
    void useWorkflowUrl(String workspaceId, String id, String url) {
        teamsIntegration(workspaceId, id);
        String problem = url == null || url.isBlank() ? "is required: the HTTP POST URL of a Teams Workflows 'When a"
                + " Teams webhook request is received' trigger" : customerUrls.problem(url);
        if (problem != null) {
            throw new DomainException.Invalid("url", problem);
        }
        IntegrationConfig saved = integrations.saveCredentials(workspaceId, id,
                Map.of(TeamsKind.WORKFLOW_URL, url.strip()), Map.of(TeamsKind.MODE, TeamsKind.MODE_WORKFLOW));
        if (saved.channels().isEmpty()) {
            // the flow decides where the card goes; routing still needs a destination: one for the workflow
            integrations.modify(workspaceId, id, null, current -> new IntegrationInput(current.kind(),
                    current.name(), current.enabled(), current.notificationTypes(), WORKFLOW_CHANNEL,
                    List.of(new ChannelInput(WORKFLOW_CHANNEL, "Teams Workflows", WORKFLOW_CHANNEL, null, null, null,
                            null, null)), current.rules()));
        }
        log.info("teams workflow url stored workspace={} integration={}", workspaceId, id);
    }

    /** The integration, which must be a Teams one. */
    private IntegrationConfig teamsIntegration(String workspaceId, String id) {
        IntegrationConfig integration = integrations.get(workspaceId, id);
        if (integration.kind() != IntegrationKind.teams) {
            throw new DomainException.WrongKind("integration " + id + " is a " + integration.kind()
                    + " integration; this is for Microsoft Teams integrations");
        }
        return integration;
    }

    /** GET on Graph as the user who connected the integration, with an access token from its refresh token. */
    private JsonNode graph(IntegrationConfig integration, String path, String what) {
        String refreshToken = integrations.openCredential(integration, TeamsKind.REFRESH_TOKEN)
                .orElseThrow(() -> new DomainException.Conflict("Microsoft Teams is not connected for"
                        + " integration " + integration.id() + ": start the sign-in with POST …/teams:connect first"));
        try {
            TokenAnswer tokens = microsoft.refresh(integration.properties().get(TeamsKind.TENANT_ID), refreshToken);
            if (!tokens.ok()) {
                log.warn("teams picker token refused workspace={} integration={} error={}",
                        integration.workspaceId(), integration.id(), tokens.describeError());
                throw new DomainException.Conflict("Microsoft refused the stored sign-in ("
                        + tokens.describeError() + "): connect Microsoft Teams again");
            }
            MicrosoftIdentity.GraphAnswer answer = microsoft.graphGet(path, tokens.accessToken());
            if (answer.status() == 200) {
                return answer.body();
            }
            String graphError = answer.body().path("error").path("code").asString("HTTP " + answer.status());
            if (answer.status() == 404) {
                throw new DomainException.NotFound(what + " (Microsoft Graph: " + graphError + ")");
            }
            throw new DomainException.Conflict("Microsoft Graph did not list " + what + " (" + graphError
                    + "); the signed-in user may lack access: connect again with a member of the team");
        } catch (MicrosoftIdentity.UnavailableException e) {
            throw new DomainException.UpstreamFailed(e.getMessage());
        }
    }

    /** RFC 7636: 32 random bytes, base64url (43 characters). */
    static String codeVerifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String codeChallenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
