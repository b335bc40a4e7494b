package com.messagingconnectors.integration.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.integration.CustomerUrls;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.api.Dtos.ChannelRequest;
import com.messagingconnectors.integration.api.Dtos.IntegrationRequest;
import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.schemas.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API side of a Teams integration: start the Microsoft sign-in, list the signed-in user's teams and a team's
 * channels (the pickers; choosing one is a normal update of the integration's channels with {@code teamId}), or use a
 * Teams Workflows webhook URL instead. The refresh token and the workflow URL are secrets: stored encrypted and never
 * returned.
 */
@RestController
@RequestMapping("/v1/workspaces/{workspaceId}/integrations/{id}")
class TeamsIntegrationController {
    private static final Logger log = LoggerFactory.getLogger(TeamsIntegrationController.class);
    /** The channel a Workflows integration without channels gets, so that routing has a destination. */
    static final String WORKFLOW_CHANNEL = "workflow";

    private final IntegrationService integrations;
    private final TeamsConnectFlow connectFlow;
    private final MicrosoftIdentity microsoft;
    private final CustomerUrls customerUrls;

    TeamsIntegrationController(IntegrationService integrations, TeamsConnectFlow connectFlow,
                               MicrosoftIdentity microsoft, CustomerUrls customerUrls) {
        this.integrations = integrations;
        this.connectFlow = connectFlow;
        this.microsoft = microsoft;
        this.customerUrls = customerUrls;
    }

    public record ConnectStart(String startUrl, long expiresInSeconds) {
    }

    public record TeamView(String id, String name, String description) {
    }

    public record ChannelOption(String id, String name, String membershipType, String teamId) {
    }

    public record WorkflowUrlRequest(String url) {
    }

    @PostMapping("/teams:connect")
    ConnectStart connect(@PathVariable String workspaceId, @PathVariable String id, HttpServletRequest request) {
        teamsIntegration(workspaceId, id);
        return new ConnectStart(connectFlow.begin(workspaceId, id, request),
                ConnectFlowStates.LINK_VALID_FOR.toSeconds());
    }

    @GetMapping("/teams/teams")
    Map<String, List<TeamView>> joinedTeams(@PathVariable String workspaceId, @PathVariable String id) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/me/joinedTeams", "your teams");
        List<TeamView> teams = new ArrayList<>();
        body.path("value").forEach(t -> teams.add(new TeamView(t.path("id").asText(), t.path("displayName").asText(),
                t.path("description").isNull() ? null : t.path("description").asText(null))));
        return Map.of("teams", teams);
    }

    @GetMapping("/teams/teams/{teamId}/channels")
    Map<String, List<ChannelOption>> channels(@PathVariable String workspaceId, @PathVariable String id,
                                              @PathVariable String teamId) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/teams/"
                + URLEncoder.encode(teamId, StandardCharsets.UTF_8) + "/channels", "the channels of team " + teamId);
        List<ChannelOption> channels = new ArrayList<>();
        body.path("value").forEach(c -> channels.add(new ChannelOption(c.path("id").asText(),
                c.path("displayName").asText(), c.path("membershipType").asText("standard"), teamId)));
        return Map.of("channels", channels);
    }

    @PutMapping("/teams/workflow-url")
    ResponseEntity<Void> workflowUrl(@PathVariable String workspaceId, @PathVariable String id,
                                     @RequestBody WorkflowUrlRequest request) {
        teamsIntegration(workspaceId, id);
        String url = request == null ? null : request.url();
        String problem = workflowUrlProblem(url);
        if (problem != null) {
            throw ApiException.invalid(List.of(new FieldError("url", problem)));
        }
        IntegrationConfig saved = integrations.saveCredentials(workspaceId, id, Map.of("workflow_url", url.strip()),
                Map.of("mode", "workflow"));
        if (saved.channels().isEmpty()) {
            // the flow decides where the card goes; routing still needs a destination: one for the workflow
            integrations.modify(workspaceId, id, null, current -> new IntegrationRequest(current.kind(),
                    current.name(), current.enabled(), current.notificationTypes(), WORKFLOW_CHANNEL,
                    List.of(new ChannelRequest(WORKFLOW_CHANNEL, "Teams Workflows", WORKFLOW_CHANNEL, null, null, null,
                            null, null)), current.rules()));
        }
        log.info("teams workflow url stored workspace={} integration={}", workspaceId, id);
        return ResponseEntity.noContent().build();
    }

    private String workflowUrlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "is required: the HTTP POST URL of a Teams Workflows 'When a Teams webhook request is received'"
                    + " trigger";
        }
        return customerUrls.problem(url);
    }

    private IntegrationConfig teamsIntegration(String workspaceId, String id) {
        IntegrationConfig integration = integrations.get(workspaceId, id);
        if (integration.kind() != IntegrationKind.teams) {
            throw new ApiException(HttpStatus.CONFLICT, "integration " + id + " is a " + integration.kind()
                    + " integration; this is for Microsoft Teams integrations");
        }
        return integration;
    }

    /** GET on Graph as the user who connected the integration, with an access token from its refresh token. */
    private JsonNode graph(IntegrationConfig integration, String path, String what) {
        String refreshToken = integrations.openCredential(integration, "refresh_token")
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "Microsoft Teams is not connected for"
                        + " integration " + integration.id() + ": start the sign-in with POST …/teams:connect first"));
        try {
            TokenAnswer tokens = microsoft.refresh(integration.properties().get("tenant_id"), refreshToken);
            if (!tokens.ok()) {
                log.warn("teams picker token refused workspace={} integration={} error={}",
                        integration.workspaceId(), integration.id(), tokens.describeError());
                throw new ApiException(HttpStatus.CONFLICT, "Microsoft refused the stored sign-in ("
                        + tokens.describeError() + "): connect Microsoft Teams again");
            }
            MicrosoftIdentity.GraphAnswer answer = microsoft.graphGet(path, tokens.accessToken());
            if (answer.status() == 200) {
                return answer.body();
            }
            String graphError = answer.body().path("error").path("code").asText("HTTP " + answer.status());
            if (answer.status() == 404) {
                throw ApiException.notFound(what + " (Microsoft Graph: " + graphError + ")");
            }
            throw new ApiException(HttpStatus.CONFLICT, "Microsoft Graph did not list " + what + " (" + graphError
                    + "); the signed-in user may lack access: connect again with a member of the team");
        } catch (MicrosoftIdentity.UnavailableException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, e.getMessage());
        }
    }
}
