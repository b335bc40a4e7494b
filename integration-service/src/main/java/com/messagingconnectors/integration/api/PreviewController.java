package com.messagingconnectors.integration.api;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.integration.RoutePreview.PreviewView;
import com.messagingconnectors.integration.RoutePreview;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** "Where would this event go, and why?" over HTTP ({@link RoutePreview} answers). */
@RestController
class PreviewController {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final RoutePreview preview;

    PreviewController(RoutePreview preview) {
        this.preview = preview;
    }

    /** Body: an event as {@code POST /v1/events} takes it; {@code workspaceId} may be left out. */
    @PostMapping(path = "/v1/workspaces/{workspaceId}/routing:preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    PreviewView preview(@PathVariable String workspaceId, @RequestBody String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode event)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "the body must be a JSON object: an event");
        }
        return preview.preview(workspaceId, event);
    }
}
