package com.messagingconnectors.integration.teams;

import com.messagingconnectors.config.microsoft.TeamsScopes;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Flow;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.integration.oauth.ConnectLinks;
import com.messagingconnectors.integration.teams.TeamsConnector.SignIn;
import com.messagingconnectors.integration.web.HtmlPages;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The browser side of "Connect Microsoft Teams": the Microsoft identity platform's authorization code flow with PKCE
 * (S256) and a CSRF-bound, single-use {@code state} ({@link ConnectFlowStates}); {@link TeamsConnector} redeems the
 * code and stores the refresh token. Every way back that is not a success ends on a plain HTML page saying what to do
 * (status 400, or 502 when Microsoft cannot be reached), never a stack trace.
 */
@RestController
class TeamsConnectFlow {
    private static final Logger log = LoggerFactory.getLogger(TeamsConnectFlow.class);

    private final ConnectLinks links;
    private final MicrosoftIdentity microsoft;
    private final TeamsConnector connector;

    TeamsConnectFlow(ConnectLinks links, MicrosoftIdentity microsoft, TeamsConnector connector) {
        this.links = links;
        this.microsoft = microsoft;
        this.connector = connector;
    }

    @GetMapping("/oauth/microsoft/start")
    ResponseEntity<String> start(@RequestParam(required = false) String ticket, HttpServletRequest request) {
        TeamsConnectProperties p = microsoft.properties();
        // the binding cookie covers /oauth: SameSite=Lax sends it on the provider's redirect to the callback
        var provider = new ConnectLinks.Provider(TeamsConnector.PROVIDER, "Microsoft Teams", "/oauth",
                p.publicBaseUrl().startsWith("https://"));
        return links.open(provider, ticket, request, flow -> UriComponentsBuilder.fromUriString(p.authorizeUrl())
                .queryParam("client_id", p.clientId())
                .queryParam("response_type", "code")
                .queryParam("redirect_uri", p.redirectUri())
                .queryParam("response_mode", "query")
                .queryParam("scope", TeamsScopes.SIGN_IN)
                .queryParam("state", flow.state())
                .queryParam("code_challenge",
                        TeamsConnector.codeChallenge(flow.extra().get(TeamsConnector.CODE_VERIFIER)))
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
        Flow flow = links.consume(TeamsConnector.PROVIDER, state, cookie).orElse(null);
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
        return switch (connector.completeSignIn(flow, code)) {
            case SignIn.Connected c -> HtmlPages.connected("Microsoft Teams is connected",
                    "Signed in" + (c.user().isEmpty() ? "" : " as " + c.user()) + ". Next, choose the team and"
                            + " channel to send notifications to.", flow.integrationId());
            case SignIn.Unreachable u -> page(HttpStatus.BAD_GATEWAY, "Microsoft could not be reached",
                    "Signing in worked, but " + u.why() + ". Press Connect again in a moment.");
            case SignIn.AdminConsentRequired a -> adminConsentRequired();
            case SignIn.Refused r -> page(HttpStatus.BAD_REQUEST, "Microsoft refused the sign-in",
                    "Microsoft answered " + r.error() + ". Press Connect again; if it keeps failing, the"
                            + " operator should check the app registration (docs/teams.md).");
            case SignIn.NoOfflineAccess n -> page(HttpStatus.BAD_REQUEST, "Microsoft did not allow offline access",
                    "The sign-in did not grant offline_access, so notifications could not be sent while you are"
                            + " away. Press Connect again and accept all requested permissions.");
            case SignIn.IntegrationGone g -> page(HttpStatus.BAD_REQUEST, "The integration is gone",
                    "The integration this sign-in was for no longer exists (" + g.why() + ").");
        };
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
}
