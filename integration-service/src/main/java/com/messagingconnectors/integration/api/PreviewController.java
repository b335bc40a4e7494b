package com.messagingconnectors.integration.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.routing.RoutingDecision;
import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.api.Dtos.PreviewDestination;
import com.messagingconnectors.integration.api.Dtos.PreviewNotRouted;
import com.messagingconnectors.integration.api.Dtos.PreviewView;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Where would this event go, and why?" Runs the router's own {@link RoutingEngine} on the live config, so the answer
 * is what the router would do with the same event now.
 */
@RestController
class PreviewController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ConfigView config;
    private final RoutingEngine engine;

    PreviewController(ConfigView config, RoutingEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    /** Body: an event as {@code POST /v1/events} takes it; {@code workspaceId} may be left out. */
    @PostMapping(path = "/v1/workspaces/{workspaceId}/routing:preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    PreviewView preview(@PathVariable String workspaceId, @RequestBody String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode event)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the body must be a JSON object: an event");
        }
        if (!event.hasNonNull("workspaceId")) {
            event.put("workspaceId", workspaceId);
        } else if (!workspaceId.equals(event.get("workspaceId").asText())) {
            throw ApiException.invalid(List.of(new FieldError("workspaceId",
                    "names another workspace than the path (" + workspaceId + ")")));
        }
        PlatformEvent parsed = EventJson.fromJson(event);
        List<IntegrationConfig> integrations = config.integrations(workspaceId);
        Map<String, String> names = integrations.stream()
                .collect(Collectors.toMap(IntegrationConfig::id, IntegrationConfig::name));
        RoutingDecision decision = engine.route(parsed, integrations);
        Function<String, String> name = id -> names.getOrDefault(id, id);
        return new PreviewView(parsed.getType(), parsed.getLevel().name(),
                decision.routes().stream().map(r -> new PreviewDestination(r.integrationId(), name.apply(r.integrationId()),
                        r.kind().name(), r.channelId(), r.channelName(), r.destinationId(), r.ruleId(), r.why())).toList(),
                decision.notRouted().stream().map(n -> new PreviewNotRouted(n.integrationId(),
                        name.apply(n.integrationId()), n.ruleId(), n.reason().name(), n.detail())).toList());
    }
}
