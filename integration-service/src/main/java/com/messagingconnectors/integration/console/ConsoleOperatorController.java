package com.messagingconnectors.integration.console;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.Etags;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's screens (operator key only): which workspace the workspace screens show, dead letters per sender with filters, a dry run, and a replay that runs
 * in small batches so the page shows its progress; webhook endpoints that were disabled, with a one-click re-enable.
 */
@Controller
@RequestMapping(ConsoleAccess.HOME + "/operator")
class ConsoleOperatorController {
    private static final int BATCH = 20;

    private final SenderAdmin senders;
    private final ConfigView config;
    private final IntegrationService integrations;
    private final ConsoleSessions sessions;

    ConsoleOperatorController(SenderAdmin senders, ConfigView config, IntegrationService integrations,
                              ConsoleSessions sessions) {
        this.senders = senders;
        this.config = config;
        this.integrations = integrations;
        this.sessions = sessions;
    }

    /** Every workspace with integrations, and a field for any other; the choice is kept in the operator's session. */
    @GetMapping("/workspaces")
    String workspaces(@RequestAttribute(ConsoleAccess.SESSION_ATTRIBUTE) Session session, Model model) {
        Map<String, Integer> counts = new TreeMap<>();
        config.allIntegrations().forEach(i -> counts.merge(i.workspaceId(), 1, Integer::sum));
        model.addAttribute("workspaces", counts);
        model.addAttribute("viewing", session.viewing());
        return "console/workspaces";
    }

    @PostMapping("/workspaces")
    String view(@RequestAttribute(ConsoleAccess.SESSION_ATTRIBUTE) Session session,
                @RequestParam(defaultValue = "") String workspaceId, HttpServletResponse response, Model model) {
        String ws = workspaceId.strip();
        if (!EventJson.WORKSPACE_ID_PATTERN.matcher(ws).matches()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("problem", ConsoleForms.of(HttpStatus.BAD_REQUEST, "Please correct the marked field.",
                    List.of(new FieldError("workspaceId", "a workspace id is ws_ and then up to 60 letters, digits, '_' or '-'")),
                    ""));
            model.addAttribute("typed", workspaceId);
            return workspaces(session, model);
        }
        sessions.view(session, ws);
        return "redirect:/console";
    }

    @GetMapping("/dead-letters")
    String deadLetters(@RequestParam(required = false) String sender, @RequestParam Map<String, String> params,
                       HttpServletResponse response, Model model) {
        String chosen = sender == null && !senders.senders().isEmpty() ? senders.senders().getFirst() : sender;
        model.addAttribute("senders", senders.senders());
        model.addAttribute("sender", chosen);
        model.addAttribute("filters", filters(params));
        if (chosen != null) {
            try {
                model.addAttribute("list", senders.list(chosen, filters(params)));
            } catch (DomainException e) {
                ConsoleForms.show(e, null, response, model);
            }
        }
        return "console/dead-letters";
    }

    /** The dry run: what a replay of the matching dead letters would do; nothing is sent. */
    @PostMapping("/dead-letters/dry-run")
    String dryRun(@RequestParam String sender, @RequestParam Map<String, String> params, Model model) {
        JsonNode plan = senders.replay(sender, filters(params), null, true);
        List<String> records = new ArrayList<>();
        plan.path("items").forEach(item -> {
            if ("WOULD_REPLAY".equals(item.path("outcome").asString(""))) {
                records.add(item.path("record").asString(""));
            }
        });
        model.addAttribute("sender", sender);
        model.addAttribute("plan", plan);
        model.addAttribute("records", String.join(",", records));
        model.addAttribute("total", records.size());
        return "console/dead-letters :: plan";
    }

    /** Replays the next batch of the planned records and answers the progress (htmx asks for the next batch). */
    @PostMapping("/dead-letters/replay")
    String replay(@RequestParam String sender, @RequestParam(defaultValue = "") String records,
                  @RequestParam int total, @RequestParam(defaultValue = "0") int replayed,
                  @RequestParam(defaultValue = "0") int skipped, @RequestParam(defaultValue = "0") int failed,
                  Model model) {
        List<String> remaining = Arrays.stream(records.split(",")).filter(r -> !r.isBlank()).toList();
        List<String> batch = remaining.subList(0, Math.min(BATCH, remaining.size()));
        if (!batch.isEmpty()) {
            JsonNode summary = senders.replay(sender, Map.of(), batch, false);
            replayed += summary.path("replayed").asInt(0);
            skipped += summary.path("skippedAlreadyDelivered").asInt(0) + summary.path("skippedDuplicate").asInt(0);
            failed += summary.path("failed").asInt(0);
        }
        List<String> rest = remaining.subList(batch.size(), remaining.size());
        model.addAttribute("sender", sender);
        model.addAttribute("records", String.join(",", rest));
        model.addAttribute("total", total);
        model.addAttribute("done", total - rest.size());
        model.addAttribute("replayed", replayed);
        model.addAttribute("skipped", skipped);
        model.addAttribute("failed", failed);
        model.addAttribute("finished", rest.isEmpty());
        return "console/dead-letters :: progress";
    }

    private static Map<String, String> filters(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        SenderAdmin.FILTERS.stream().sorted().forEach(f -> out.put(f, params.getOrDefault(f, "")));
        return out;
    }

    record DisabledEndpoint(IntegrationConfig integration, ChannelConfig channel, String etag) {
    }

    @GetMapping("/endpoints")
    String endpoints(@RequestParam(required = false) String notice, Model model) {
        List<DisabledEndpoint> disabled = new ArrayList<>();
        for (IntegrationConfig integration : config.allIntegrations()) {
            integration.channels().stream().filter(c -> !c.enabled())
                    .forEach(c -> disabled.add(new DisabledEndpoint(integration, c, Etags.of(integration))));
        }
        model.addAttribute("disabled", disabled);
        model.addAttribute("notice", notice);
        return "console/endpoints";
    }

    @PostMapping("/endpoints/{workspaceId}/{id}/{channelId}/enable")
    String enable(@PathVariable String workspaceId, @PathVariable String id, @PathVariable String channelId,
                  @RequestParam String etag) {
        integrations.setChannelEnabled(workspaceId, id, channelId, true, etag);
        return "redirect:/console/operator/endpoints?notice=enabled";
    }
}
