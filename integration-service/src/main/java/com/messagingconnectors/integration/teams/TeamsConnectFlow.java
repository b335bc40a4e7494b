package com.messagingconnectors.integration.teams;

import com.messagingconnectors.config.kinds.TeamsKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.messagingconnectors.config.microsoft.MicrosoftJson;
import com.messagingconnectors.config.microsoft.TeamsScopes;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Flow;
import com.messagingconnectors.integration.oauth.ConnectLinks;
import jakarta.servlet.http.HttpServletRequest;
import com.messagingconnectors.integration.web.HtmlPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser side of "Connect Microsoft Teams": the Microsoft identity platform's authorization code flow with PKCE
 * (S256) and a CSRF-bound, single-use {@code state} ({@link ConnectFlowStates}). The refresh token it obtains is stored
 * encrypted on the integration; every way back that is not a success ends on a plain HTML page saying what to do
 * (status 400, or 502 when Microsoft cannot be reached), never a stack trace.
 */
@RestController
public class TeamsConnectFlow {
    static final String PROVIDER = "microsoft";
    static final String CODE_VERIFIER = "code_verifier";
    private static final Logger log = LoggerFactory.getLogger(TeamsConnectFlow.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectLinks links;
    private final MicrosoftIdentity microsoft;
    private final IntegrationService integrations;
    private final TeamsDirectory directory;

    TeamsConnectFlow(ConnectLinks links, MicrosoftIdentity microsoft, IntegrationService integrations,
                     TeamsDirectory directory) {
        this.links = links;
        this.directory = directory;
        this.microsoft = microsoft;
        this.integrations = integrations;
    }

    /**
     * Called by the API ({@code …/teams:connect}): a one-time URL that starts the sign-in in the admin's browser, for
     * a console session of the calling key only ({@link ConnectLinks}).
     */
    public String begin(String workspaceId, String integrationId, HttpServletRequest request) {
        directory.teamsIntegration(workspaceId, integrationId);
        if (microsoft.properties().clientId().isBlank()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Microsoft Teams sign-in is not configured on this"
                    + " installation: the operator must set connectors.teams.client-id and client-secret"
                    + " (CONNECTORS_TEAMS_CLIENT_ID / CONNECTORS_TEAMS_CLIENT_SECRET), see docs/teams.md");
        }
        String ticket = links.begin(PROVIDER, workspaceId, integrationId, Map.of(CODE_VERIFIER, codeVerifier()),
                request);
        return microsoft.properties().startUrl(ticket);
    }

    @GetMapping("/oauth/microsoft/start")
    ResponseEntity<String> start(@RequestParam(required = false) String ticket, HttpServletRequest request) {
        TeamsConnectProperties p = microsoft.properties();
        // the binding cookie covers /oauth: SameSite=Lax sends it on the provider's redirect to the callback
        var provider = new ConnectLinks.Provider(PROVIDER, "Microsoft Teams", "/oauth",
                p.publicBaseUrl().startsWith("https://"));
        return links.open(provider, ticket, request, flow -> UriComponentsBuilder.fromUriString(p.authorizeUrl())
                .queryParam("client_id", p.clientId())
                .queryParam("response_type", "code")
                .queryParam("redirect_uri", p.redirectUri())
                .queryParam("response_mode", "query")
                .queryParam("scope", TeamsScopes.SIGN_IN)
                .queryParam("state", flow.state())
                .queryParam("code_challenge", codeChallenge(flow.extra().get(CODE_VERIFIER)))
                .queryParam("code_challenge_method", "S256")
                .queryParam("prompt", "select_account")
                .encode().build().toUriString());
    }

    @GetMapping("/oauth/microsoft/callback")
    ResponseEntity<String> callback(@RequestParam(required = false) String code,
                                    @RequestParam(required = false) String state,
                                    @RequestParam(required = false) String error,
                                    @RequestParam(value = "error_description", required = false) String description,
                                    @CookieValue(value = ConnectFlowStates.BROWSER_COOKIE, required = false) String cookie) {
        Flow flow = links.consume(PROVIDER, state, cookie).orElse(null);
        if (error != null) {
            return refused(flow, error, description == null ? "" : description);
        }
        if (flow == null) {
            log.warn("microsoft connect callback refused: unknown, expired, replayed or other-browser state");
            return page(HttpStatus.BAD_REQUEST, "This sign-in could not be completed",
                    "The sign-in took longer than 10 minutes, was already completed, or was started in another"
                            + " browser. Go back to Integrations and press Connect again.");
        }
        if (code == null || code.isBlank()) {
            return page(HttpStatus.BAD_REQUEST, "Microsoft did not send a sign-in code",
                    "Go back to Integrations and press Connect again.");
        }
        TokenAnswer tokens;
        try {
            tokens = microsoft.redeemCode(code, flow.extra().get(CODE_VERIFIER));
        } catch (MicrosoftIdentity.UnavailableException e) {
            log.warn("microsoft connect failed workspace={} integration={}: {}", flow.workspaceId(),
                    flow.integrationId(), e.getMessage());
            return page(HttpStatus.BAD_GATEWAY, "Microsoft could not be reached",
                    "Signing in worked, but " + e.getMessage() + ". Press Connect again in a moment.");
        }
        if (!tokens.ok()) {
            log.warn("microsoft code exchange refused workspace={} integration={} error={}", flow.workspaceId(),
                    flow.integrationId(), tokens.describeError());
            if ("AADSTS65001".equals(tokens.errorCode()) || "consent_required".equals(tokens.error())) {
                return adminConsentRequired();
            }
            return page(HttpStatus.BAD_REQUEST, "Microsoft refused the sign-in",
                    "Microsoft answered " + tokens.describeError() + ". Press Connect again; if it keeps failing, the"
                            + " operator should check the app registration (docs/teams.md).");
        }
        if (tokens.refreshToken() == null) {
            return page(HttpStatus.BAD_REQUEST, "Microsoft did not allow offline access",
                    "The sign-in did not grant offline_access, so notifications could not be sent while you are away."
                            + " Press Connect again and accept all requested permissions.");
        }
        JsonNode claims = MicrosoftJson.idTokenClaims(tokens.idToken());
        String user = claims.path("preferred_username").asText(claims.path("name").asText(""));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(TeamsKind.MODE, TeamsKind.MODE_GRAPH);
        facts.put(TeamsKind.TENANT_ID, claims.path("tid").asText(microsoft.properties().tenant()));
        facts.put("user", user);
        facts.put("scopes", tokens.scope() == null ? TeamsScopes.SIGN_IN : tokens.scope());
        try {
            integrations.saveCredentials(flow.workspaceId(), flow.integrationId(),
                    Map.of(TeamsKind.REFRESH_TOKEN, tokens.refreshToken()), facts);
        } catch (ApiException e) {
            return page(HttpStatus.BAD_REQUEST, "The integration is gone",
                    "The integration this sign-in was for no longer exists (" + e.getMessage() + ").");
        }
        log.info("microsoft teams connected workspace={} integration={} tenant={}", flow.workspaceId(),
                flow.integrationId(), facts.get(TeamsKind.TENANT_ID));
        return HtmlPages.connected("Microsoft Teams is connected",
                "Signed in" + (user.isEmpty() ? "" : " as " + user) + ". Next, choose the team and channel to send"
                        + " notifications to.", flow.integrationId());
    }

    private ResponseEntity<String> refused(Flow flow, String error, String description) {
        log.warn("microsoft connect ended with error={} workspace={} integration={}", error,
                flow == null ? "?" : flow.workspaceId(), flow == null ? "?" : flow.integrationId());
        if (description.contains("AADSTS65001") || description.contains("AADSTS90094")
                || "consent_required".equals(error)) {
            return adminConsentRequired();
        }
        if ("access_denied".equals(error)) {
            return page(HttpStatus.BAD_REQUEST, "Permissions were not granted",
                    "Microsoft Teams was not connected because the requested permissions were declined. To connect,"
                            + " press Connect again and accept them.");
        }
        return page(HttpStatus.BAD_REQUEST, "Microsoft Teams was not connected",
                "Microsoft answered " + error + ". Press Connect again; if it keeps failing, ask your Microsoft 365"
                        + " administrator.");
    }

    private ResponseEntity<String> adminConsentRequired() {
        return page(HttpStatus.BAD_REQUEST, "An administrator must approve this app",
                "Your organization requires a Microsoft 365 administrator to grant these permissions before members"
                        + " can connect. Send this link to your administrator: "
                        + microsoft.properties().adminConsentUrl() + " — then press Connect again.");
    }

    static ResponseEntity<String> page(HttpStatus status, String title, String message) {
        return HtmlPages.message(status, title, message);
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
