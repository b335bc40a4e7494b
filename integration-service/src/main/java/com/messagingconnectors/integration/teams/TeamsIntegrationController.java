package com.messagingconnectors.integration.teams;

import com.messagingconnectors.config.kinds.TeamsKind;
import com.messagingconnectors.config.model.IntegrationConfig;
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
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

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
    private final TeamsDirectory directory;
    private final CustomerUrls customerUrls;

    TeamsIntegrationController(IntegrationService integrations, TeamsConnectFlow connectFlow,
                               TeamsDirectory directory, CustomerUrls customerUrls) {
        this.integrations = integrations;
        this.connectFlow = connectFlow;
        this.directory = directory;
        this.customerUrls = customerUrls;
    }

    public record ConnectStart(String startUrl, long expiresInSeconds) {
    }

    public record WorkflowUrlRequest(String url) {
    }

    @PostMapping("/teams:connect")
    ConnectStart connect(@PathVariable String workspaceId, @PathVariable String id, HttpServletRequest request) {
        return new ConnectStart(connectFlow.begin(workspaceId, id, request),
                ConnectFlowStates.LINK_VALID_FOR.toSeconds());
    }

    @GetMapping("/teams/teams")
    Map<String, List<TeamsDirectory.TeamView>> joinedTeams(@PathVariable String workspaceId, @PathVariable String id) {
        return Map.of("teams", directory.teams(workspaceId, id));
    }

    @GetMapping("/teams/teams/{teamId}/channels")
    Map<String, List<TeamsDirectory.ChannelOption>> channels(@PathVariable String workspaceId, @PathVariable String id,
                                                             @PathVariable String teamId) {
        return Map.of("channels", directory.channels(workspaceId, id, teamId));
    }

    @PutMapping("/teams/workflow-url")
    ResponseEntity<Void> workflowUrl(@PathVariable String workspaceId, @PathVariable String id,
                                     @RequestBody WorkflowUrlRequest request) {
        directory.teamsIntegration(workspaceId, id);
        String url = request == null ? null : request.url();
        String problem = workflowUrlProblem(url);
        if (problem != null) {
            throw ApiException.invalid(List.of(new FieldError("url", problem)));
        }
        IntegrationConfig saved = integrations.saveCredentials(workspaceId, id, Map.of(TeamsKind.WORKFLOW_URL, url.strip()),
                Map.of(TeamsKind.MODE, TeamsKind.MODE_WORKFLOW));
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
}
