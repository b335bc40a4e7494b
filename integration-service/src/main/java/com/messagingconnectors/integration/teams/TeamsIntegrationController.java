package com.messagingconnectors.integration.teams;

import com.messagingconnectors.integration.oauth.ConnectFlowStates;
import com.messagingconnectors.integration.oauth.ConnectLinks;
import jakarta.servlet.http.HttpServletRequest;
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
 * returned. What happens is {@link TeamsConnector}'s.
 */
@RestController
@RequestMapping("/v1/workspaces/{workspaceId}/integrations/{id}")
class TeamsIntegrationController {
    private final TeamsConnector connector;
    private final ConnectLinks links;

    TeamsIntegrationController(TeamsConnector connector, ConnectLinks links) {
        this.connector = connector;
        this.links = links;
    }

    public record ConnectStart(String startUrl, long expiresInSeconds) {
    }

    public record WorkflowUrlRequest(String url) {
    }

    @PostMapping("/teams:connect")
    ConnectStart connect(@PathVariable String workspaceId, @PathVariable String id, HttpServletRequest request) {
        return new ConnectStart(connector.begin(workspaceId, id, links.requester(request)),
                ConnectFlowStates.LINK_VALID_FOR.toSeconds());
    }

    @GetMapping("/teams/teams")
    Map<String, List<TeamsConnector.TeamView>> joinedTeams(@PathVariable String workspaceId, @PathVariable String id) {
        return Map.of("teams", connector.teams(workspaceId, id));
    }

    @GetMapping("/teams/teams/{teamId}/channels")
    Map<String, List<TeamsConnector.ChannelOption>> channels(@PathVariable String workspaceId, @PathVariable String id,
                                                             @PathVariable String teamId) {
        return Map.of("channels", connector.channels(workspaceId, id, teamId));
    }

    @PutMapping("/teams/workflow-url")
    ResponseEntity<Void> workflowUrl(@PathVariable String workspaceId, @PathVariable String id,
                                     @RequestBody WorkflowUrlRequest request) {
        connector.useWorkflowUrl(workspaceId, id, request == null ? null : request.url());
        return ResponseEntity.noContent().build();
    }
}
