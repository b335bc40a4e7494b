package com.messagingconnectors.integration.console;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.integration.Etags;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.RoutePreview;
import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.domain.RuleInput;
import com.messagingconnectors.schemas.EventValidationException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Notification rules (a toggle per type) and Routing (ordered rules, default channel, live preview) of an
 * integration. Changes go through {@link IntegrationService#modify} with the page's version; the preview is the API's
 * {@link RoutePreview}.
 */
@Controller
@RequestMapping(ConsoleAccess.HOME)
class ConsoleRoutingController {
    private static final String SESSION = ConsoleAccess.SESSION_ATTRIBUTE;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final IntegrationService integrations;
    private final RoutePreview preview;
    private final RecentEvents recentEvents;

    ConsoleRoutingController(IntegrationService integrations, RoutePreview preview, RecentEvents recentEvents) {
        this.integrations = integrations;
        this.preview = preview;
        this.recentEvents = recentEvents;
    }

    @GetMapping("/integrations/{id}/notifications")
    String notifications(@RequestAttribute(SESSION) Session session, @PathVariable String id, Model model) {
        IntegrationConfig integration = integrations.get(ConsoleIntegrationsController.workspace(session), id);
        model.addAttribute("integration", integration);
        model.addAttribute("etag", Etags.of(integration));
        model.addAttribute("types", NotificationTypes.of(integrations.list(integration.workspaceId())));
        return "console/notifications";
    }

    /** One toggle (htmx posts it on change and swaps the table in; without script the form posts and reloads). */
    @PostMapping("/integrations/{id}/notifications")
    String toggle(@RequestAttribute(SESSION) Session session, @PathVariable String id, @RequestParam String etag,
                  @RequestParam String type, @RequestParam(defaultValue = "false") boolean on,
                  jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response, Model model) {
        String ws = ConsoleIntegrationsController.workspace(session);
        try {
            integrations.modify(ws, id, etag, r -> {
                Map<String, Boolean> toggles = new TreeMap<>(r.notificationTypes());
                toggles.put(type, on);
                return new IntegrationInput(r.kind(), r.name(), r.enabled(), toggles, r.defaultChannelId(),
                        r.channels(), r.rules());
            });
            model.addAttribute("saved", type + " is now " + (on ? "on" : "off") + ".");
        } catch (DomainException e) {
            ConsoleForms problem = ConsoleForms.of(e, null);
            // a stale page is answered with the current toggles and the notice, not as an error
            response.setStatus(problem.stale() ? 200 : problem.status());
            model.addAttribute("problem", problem);
        }
        String page = notifications(session, id, model);
        return request.getHeader("HX-Request") != null ? page + " :: toggles" : page;
    }

    @GetMapping("/integrations/{id}/routing")
    String routing(@RequestAttribute(SESSION) Session session, @PathVariable String id, Model model) {
        IntegrationConfig integration = integrations.get(ConsoleIntegrationsController.workspace(session), id);
        model.addAttribute("integration", integration);
        model.addAttribute("etag", Etags.of(integration));
        model.addAttribute("types", NotificationTypes.of(integrations.list(integration.workspaceId())));
        model.addAttribute("examples", EventExamples.ALL);
        model.addAttribute("recent", recentEvents.of(integration.workspaceId()));
        Map<String, String> noise = new java.util.HashMap<>();
        java.time.Instant now = java.time.Instant.now();
        integration.rules().forEach(r -> noise.put(r.id(), NoiseForms.describe(r.grouping(), r.dedupe(), r.mute(), now)));
        model.addAttribute("ruleNoise", noise);
        return "console/routing";
    }

    /** A new rule at the end of the list (rules are tried in order; the first that matches decides). */
    @PostMapping("/integrations/{id}/rules")
    String addRule(@RequestAttribute(SESSION) Session session, @PathVariable String id, @RequestParam String etag,
                   @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String types,
                   @RequestParam(required = false) List<String> levels, @RequestParam(defaultValue = "") String channelId,
                   @RequestParam(defaultValue = "") String groupBy, @RequestParam(defaultValue = "") String groupWait,
                   @RequestParam(defaultValue = "") String groupInterval,
                   @RequestParam(defaultValue = "") String dedupeWindow,
                   @RequestParam(defaultValue = "") String muteUntil, @RequestParam(defaultValue = "") String muteReason,
                   HttpServletResponse response, Model model) {
        String ws = ConsoleIntegrationsController.workspace(session);
        IntegrationConfig current = integrations.get(ws, id);
        int index = current.rules().size();
        List<String> typeList = Arrays.stream(types.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
        try {
            RuleInput rule = new RuleInput("rule-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36),
                    name.isBlank() ? null : name.strip(),
                    new RuleInput.Match(typeList.isEmpty() ? List.of("*") : typeList, levels == null ? null : levels,
                            null),
                    channelId, false, NoiseForms.grouping(groupBy, groupWait, groupInterval),
                    NoiseForms.dedupe(dedupeWindow), NoiseForms.mute(muteUntil, muteReason, "rules[" + index + "].mute"));
            integrations.modify(ws, id, etag, r -> new IntegrationInput(r.kind(), r.name(), r.enabled(),
                    r.notificationTypes(), r.defaultChannelId(), r.channels(), append(r.rules(), rule)));
        } catch (DomainException e) {
            ConsoleForms.show(e, "rules[" + index + "].", response, model);
            // the form keeps what was typed, so one wrong field is corrected without retyping the others
            model.addAttribute("ruleName", name);
            model.addAttribute("ruleTypes", types);
            model.addAttribute("ruleChannel", channelId);
            model.addAttribute("ruleLevels", levels == null ? List.of() : levels);
            model.addAttribute("groupBy", groupBy);
            model.addAttribute("groupWait", groupWait);
            model.addAttribute("groupInterval", groupInterval);
            model.addAttribute("dedupeWindow", dedupeWindow);
            model.addAttribute("muteUntil", muteUntil);
            model.addAttribute("muteReason", muteReason);
            return routing(session, id, model);
        }
        return "redirect:/console/integrations/" + id + "/routing";
    }

    private static List<RuleInput> append(List<RuleInput> rules, RuleInput rule) {
        List<RuleInput> out = new ArrayList<>(rules);
        out.add(rule);
        return out;
    }

    /** Moves a rule up or down one place, or removes it. */
    @PostMapping("/integrations/{id}/rules/{ruleId}")
    String changeRule(@RequestAttribute(SESSION) Session session, @PathVariable String id, @PathVariable String ruleId,
                      @RequestParam String etag, @RequestParam String action) {
        integrations.modify(ConsoleIntegrationsController.workspace(session), id, etag, r -> {
            List<RuleInput> rules = new ArrayList<>(r.rules());
            int at = -1;
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).id().equals(ruleId)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new DomainException.NotFound("rule " + ruleId);
            }
            switch (action) {
                case "up" -> { if (at > 0) { rules.add(at - 1, rules.remove(at)); } }
                case "down" -> { if (at < rules.size() - 1) { rules.add(at + 1, rules.remove(at)); } }
                case "delete" -> rules.remove(at);
                default -> throw new ApiException(HttpStatus.BAD_REQUEST, "unknown action " + action);
            }
            return new IntegrationInput(r.kind(), r.name(), r.enabled(), r.notificationTypes(),
                    r.defaultChannelId(), r.channels(), rules);
        });
        return "redirect:/console/integrations/" + id + "/routing";
    }

    @PostMapping("/integrations/{id}/default-route")
    String defaultRoute(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                        @RequestParam String etag, @RequestParam(defaultValue = "") String channelId) {
        integrations.modify(ConsoleIntegrationsController.workspace(session), id, etag, r -> new IntegrationInput(
                r.kind(), r.name(), r.enabled(), r.notificationTypes(), channelId.isBlank() ? null : channelId,
                r.channels(), r.rules()));
        return "redirect:/console/integrations/" + id + "/routing";
    }

    /**
     * The live preview: where an event of this type and level would go now, and why, for every integration of the
     * workspace. Summary and payload may be left empty: the example of the type fills them in.
     */
    @PostMapping("/preview")
    String preview(@RequestAttribute(SESSION) Session session, @RequestParam(defaultValue = "") String type,
                   @RequestParam(defaultValue = "info") String level, @RequestParam(defaultValue = "") String summary,
                   @RequestParam(defaultValue = "") String payload, Model model) {
        String ws = ConsoleIntegrationsController.workspace(session);
        if (type.isBlank()) {
            model.addAttribute("hint", "Type an event type, e.g. report.completed, to see where it would go.");
            return "console/routing :: preview";
        }
        EventExamples.Example example = EventExamples.of(type.strip());
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type.strip());
        event.put("level", level);
        event.put("summary", summary.isBlank() ? example.summary() : summary);
        try {
            JsonNode body = JSON.readTree(payload.isBlank() ? example.payload() : payload);
            event.set("payload", body);
            model.addAttribute("result", preview.preview(ws, event));
        } catch (JacksonException e) {
            model.addAttribute("problem", ConsoleForms.of(HttpStatus.BAD_REQUEST, "The payload is not valid JSON: "
                    + e.getOriginalMessage(), List.of(), null));
        } catch (EventValidationException e) {
            model.addAttribute("problem", ConsoleForms.of(HttpStatus.UNPROCESSABLE_CONTENT,
                    "This event would be refused by ingest:", e.errors(), null));
        } catch (DomainException e) {
            model.addAttribute("problem", ConsoleForms.of(e, null));
        }
        return "console/routing :: preview";
    }
}
