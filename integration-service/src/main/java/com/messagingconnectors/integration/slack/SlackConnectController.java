package com.messagingconnectors.integration.slack;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.integration.oauth.ConnectFlowStates.Flow;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.integration.oauth.ConnectLinks;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connecting a Slack workspace: the API call that starts it (API key), the browser's start URL (only for a console
 * session of the key that asked, see {@link ConnectLinks}; sets the cookie that binds the flow to this browser, then
 * redirects to Slack's authorize page), Slack's callback, and the channel list
 * the admin picks the default channel and rule targets from.
 */
@RestController
class SlackConnectController {
    private static final Logger log = LoggerFactory.getLogger(SlackConnectController.class);

    private final SlackProperties properties;
    private final ConnectLinks links;
    private final SlackConnector connector;

    SlackConnectController(SlackProperties properties, ConnectLinks links, SlackConnector connector) {
        this.properties = properties;
        this.links = links;
        this.connector = connector;
    }

    @PostMapping("/v1/workspaces/{workspaceId}/integrations/{id}/slack:connect")
    Map<String, Object> connect(@PathVariable String workspaceId, @PathVariable String id,
                                HttpServletRequest request) {
        String ticket = connector.beginConnect(workspaceId, id, links.requester(request));
        return Map.of("startUrl", ConnectLinks.startUrl(SlackConnector.PROVIDER, ticket),
                "expiresInSeconds", ConnectFlowStates.LINK_VALID_FOR.toSeconds());
    }

    @GetMapping("/v1/workspaces/{workspaceId}/integrations/{id}/slack/channels")
    Map<String, List<SlackConnector.SlackChannelView>> channels(@PathVariable String workspaceId,
                                                               @PathVariable String id) {
        return Map.of("channels", connector.channels(workspaceId, id));
    }

    @GetMapping("/oauth/slack/start")
    ResponseEntity<String> start(@RequestParam(required = false) String ticket, HttpServletRequest request) {
        var provider = new ConnectLinks.Provider(SlackConnector.PROVIDER, "Slack", "/oauth/slack",
                properties.redirectUri().startsWith("https:"));
        return links.open(provider, ticket, request, flow -> UriComponentsBuilder
                .fromUriString(properties.apiBaseUrl() + "/oauth/v2/authorize")
                .queryParam("client_id", properties.clientId())
                .queryParam("scope", String.join(",", properties.scopeList()))
                .queryParam("redirect_uri", properties.redirectUri())
                .queryParam("state", flow.state())
                .encode().build().toUriString());
    }

    @GetMapping("/oauth/slack/callback")
    ResponseEntity<String> callback(@RequestParam(required = false) String code,
                                    @RequestParam(required = false) String state,
                                    @RequestParam(required = false) String error,
                                    @CookieValue(name = ConnectFlowStates.BROWSER_COOKIE, required = false) String cookie) {
        // the state is used up whatever happens next: a callback can never be replayed
        Optional<Flow> flow = links.consume(SlackConnector.PROVIDER, state, cookie);
        if (error != null) {
            log.info("slack connect cancelled error={}", error);
            return SlackPages.error(HttpStatus.BAD_REQUEST, "Slack was not connected",
                    "access_denied".equals(error)
                            ? "The request to install the app was cancelled in Slack. Start connecting again when ready."
                            : "Slack reported: " + error + ". Start connecting again.");
        }
        if (flow.isEmpty()) {
            log.warn("slack connect callback refused: unknown, expired, replayed or other-browser state");
            return SlackPages.error(HttpStatus.BAD_REQUEST, "This Slack sign-in could not be verified",
                    "The link is expired, was already used, or was opened in a different browser than the one that"
                            + " started connecting. Start connecting Slack again.");
        }
        if (code == null || code.isBlank()) {
            return SlackPages.error(HttpStatus.BAD_REQUEST, "Slack was not connected",
                    "Slack did not send an authorization code. Start connecting again.");
        }
        try {
            IntegrationConfig saved = connector.completeInstall(flow.get().workspaceId(), flow.get().integrationId(),
                    code);
            return SlackPages.success(saved.properties().getOrDefault(SlackKind.TEAM_NAME, "your workspace"),
                    saved.id());
        } catch (SlackConnector.ConnectFailed e) {
            return SlackPages.error(e.unreachable ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST,
                    "Slack was not connected", e.getMessage());
        }
    }
}
