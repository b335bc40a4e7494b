package com.messagingconnectors.integration;

import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.routing.RoutingDecision;
import com.messagingconnectors.config.routing.RoutingEngine;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.avro.NoiseControl;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Where would this event go, and why?" for the API and the console: runs the router's own {@link RoutingEngine} on
 * the live config, so the answer is what the router would do with the same event now.
 */
@Service
public class RoutePreview {

    public record PreviewView(String eventType, String level, List<PreviewDestination> destinations,
                              List<PreviewNotRouted> notRouted) {
    }

    /** @param noise how grouping, deduplication or a cap would treat the event there; null when none applies */
    public record PreviewDestination(String integrationId, String integrationName, String kind, String channelId,
                                     String channelName, String destinationId, String ruleId, String why,
                                     String noise) {
        public PreviewDestination(String integrationId, String integrationName, String kind, String channelId,
                                  String channelName, String destinationId, String ruleId, String why) {
            this(integrationId, integrationName, kind, channelId, channelName, destinationId, ruleId, why, null);
        }
    }

    public record PreviewNotRouted(String integrationId, String integrationName, String ruleId, String reason,
                                   String detail) {
    }
    private final ConfigView config;
    private final RoutingEngine engine;

    RoutePreview(ConfigView config, RoutingEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    /**
     * What the digest stage would do with the event at this destination. Whether its group is open right now lives in
     * the digest stage's state, not here: the answer says what happens in either case.
     */
    static String explain(NoiseControl noise) {
        if (noise == null) {
            return null;
        }
        String cap = noise.getCapPerMinute() > 0 ? " At most " + noise.getCapPerMinute() + " messages per minute go"
                + " to this destination; beyond that, events are folded into the next digest, never dropped." : "";
        if (noise.getGroupKey() == null) {
            return cap.strip();
        }
        String interval = NoiseText.text(noise.getIntervalMillis());
        if (noise.getDeduplicated()) {
            return "Deduplicated by its dedupKey (" + noise.getGroupLabel() + "): if no event with this key went out"
                    + " in the last " + interval + ", it goes out at once; otherwise it would be counted into the"
                    + " repeat digest sent when that " + interval + " window ends." + cap;
        }
        String first = noise.getWaitMillis() == 0 ? "at once"
                : "after " + NoiseText.text(noise.getWaitMillis()) + ", together with the group's other events";
        return "Grouped as '" + noise.getGroupLabel() + "': if this group is not open, it opens and the event goes out "
                + first + "; if it is open, the event would be folded into the open digest of the group, sent once"
                + " per " + interval + ". A group closes after " + interval + " without events." + cap;
    }

    /** {@code event} as {@code POST /v1/events} takes it; a missing {@code workspaceId} is the workspace's. */
    public PreviewView preview(String workspaceId, ObjectNode event) {
        if (!event.hasNonNull("workspaceId")) {
            event.put("workspaceId", workspaceId);
        } else if (!workspaceId.equals(event.get("workspaceId").asString(""))) {
            throw new DomainException.Invalid(List.of(new FieldError("workspaceId",
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
                        r.kind().name(), r.channelId(), r.channelName(), r.destinationId(), r.ruleId(), r.why(),
                        explain(r.noiseControl()))).toList(),
                decision.notRouted().stream().map(n -> new PreviewNotRouted(n.integrationId(),
                        name.apply(n.integrationId()), n.ruleId(), n.reason().name(), n.detail())).toList());
    }
}
