package com.messagingconnectors.integration.teams;

import com.messagingconnectors.config.kinds.TeamsKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Teams pickers, for the API and the console: the signed-in user's teams and a team's channels, read from
 * Microsoft Graph as the user who connected the integration.
 */
@Service
public class TeamsDirectory {
    private static final Logger log = LoggerFactory.getLogger(TeamsDirectory.class);

    private final IntegrationService integrations;
    private final MicrosoftIdentity microsoft;

    TeamsDirectory(IntegrationService integrations, MicrosoftIdentity microsoft) {
        this.integrations = integrations;
        this.microsoft = microsoft;
    }

    public record TeamView(String id, String name, String description) {
    }

    public record ChannelOption(String id, String name, String membershipType, String teamId) {
    }

    public List<TeamView> teams(String workspaceId, String id) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/me/joinedTeams", "your teams");
        List<TeamView> teams = new ArrayList<>();
        body.path("value").forEach(t -> teams.add(new TeamView(t.path("id").asText(), t.path("displayName").asText(),
                t.path("description").isNull() ? null : t.path("description").asText(null))));
        return teams;
    }

    public List<ChannelOption> channels(String workspaceId, String id, String teamId) {
        JsonNode body = graph(teamsIntegration(workspaceId, id), "/v1.0/teams/"
                + URLEncoder.encode(teamId, StandardCharsets.UTF_8) + "/channels", "the channels of team " + teamId);
        List<ChannelOption> channels = new ArrayList<>();
        body.path("value").forEach(c -> channels.add(new ChannelOption(c.path("id").asText(),
                c.path("displayName").asText(), c.path("membershipType").asText("standard"), teamId)));
        return channels;
    }

    /** The integration, which must be a Teams one (409 otherwise). */
    IntegrationConfig teamsIntegration(String workspaceId, String id) {
        IntegrationConfig integration = integrations.get(workspaceId, id);
        if (integration.kind() != IntegrationKind.teams) {
            throw new ApiException(HttpStatus.CONFLICT, "integration " + id + " is a " + integration.kind()
                    + " integration; this is for Microsoft Teams integrations");
        }
        return integration;
    }

    /** GET on Graph as the user who connected the integration, with an access token from its refresh token. */
    private JsonNode graph(IntegrationConfig integration, String path, String what) {
        String refreshToken = integrations.openCredential(integration, TeamsKind.REFRESH_TOKEN)
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "Microsoft Teams is not connected for"
                        + " integration " + integration.id() + ": start the sign-in with POST …/teams:connect first"));
        try {
            TokenAnswer tokens = microsoft.refresh(integration.properties().get(TeamsKind.TENANT_ID), refreshToken);
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
