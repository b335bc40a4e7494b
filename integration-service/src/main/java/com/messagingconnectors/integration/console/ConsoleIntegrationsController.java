package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.IntegrationNoise;
import com.messagingconnectors.integration.Etags;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.domain.RuleInput;
import com.messagingconnectors.integration.googlechat.GoogleChatConnector;
import com.messagingconnectors.integration.oauth.ConnectLinks;
import com.messagingconnectors.integration.slack.SlackConnector;
import com.messagingconnectors.integration.status.StatusBoard;
import com.messagingconnectors.integration.status.StatusView;
import com.messagingconnectors.integration.teams.TeamsConnector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's integration screens: the list with each one's status, the catalog, Connect, and each integration's
 * settings (default channel, Teams team and channel, webhook endpoints, enable/disable, delete). Every change goes
 * through {@link IntegrationService} (or the connect flows) like the API's, with the page's version as If-Match.
 */
@Controller
@RequestMapping(ConsoleAccess.HOME)
class ConsoleIntegrationsController {
    static final String SESSION = ConsoleAccess.SESSION_ATTRIBUTE;
    private static final Pattern NOT_ID = Pattern.compile("[^a-z0-9_-]+");

    /** How the catalog shows a kind; the list itself is {@link IntegrationKind#values()}. */
    record CatalogEntry(String kind, String title, String description, String action) {
    }

    private static final Map<String, CatalogEntry> CATALOG = Map.of(
            "slack", new CatalogEntry("slack", "Slack", "Post notifications to Slack channels as rich messages."
                    + " Connect installs the app in your Slack workspace; then choose the default channel.", "Connect"),
            "teams", new CatalogEntry("teams", "Microsoft Teams", "Post Adaptive Cards to a Teams channel. Connect"
                    + " signs in with Microsoft 365; then choose the team and channel.", "Connect"),
            "webhook", new CatalogEntry("webhook", "Webhook", "Send signed JSON to any HTTPS endpoint, with the"
                    + " notification types you choose per endpoint.", "Add endpoint"),
            "googlechat", new CatalogEntry("googlechat", "Google Chat", "Post cards to a Google Chat space through"
                    + " the space's incoming webhook (Apps & integrations → Webhooks in the space).", "Add space"));

    /** One option of a select: the value the API takes, and what the console says. */
    record Choice(String value, String label) {
    }

    /** Slack's resolved-alerts choices, in the order shown. */
    private static final List<Choice> RESOLVED_ALERT_CHOICES = List.of(
            new Choice(SlackKind.RESOLVED_UPDATE, "update the original message"),
            new Choice(SlackKind.RESOLVED_THREAD, "reply in its thread"));

    private final IntegrationService integrations;
    private final StatusBoard status;
    private final SlackConnector slack;
    private final TeamsConnector teams;
    private final GoogleChatConnector googleChat;
    private final ConnectLinks links;

    ConsoleIntegrationsController(IntegrationService integrations, StatusBoard status, SlackConnector slack,
                                  TeamsConnector teams, GoogleChatConnector googleChat, ConnectLinks links) {
        this.integrations = integrations;
        this.status = status;
        this.slack = slack;
        this.teams = teams;
        this.googleChat = googleChat;
        this.links = links;
    }

    /** The workspace a page acts on: the session's own, or the one the operator chose; never one from the URL. */
    static String workspace(Session session) {
        String shown = session.workspaceShown();
        if (shown == null) {
            throw new DomainException.Conflict("The operator key belongs to no workspace: choose the"
                    + " workspace to look at under Workspaces first.");
        }
        return shown;
    }

    static List<CatalogEntry> catalog() {
        List<CatalogEntry> entries = new ArrayList<>();
        for (IntegrationKind kind : IntegrationKind.values()) {
            entries.add(CATALOG.getOrDefault(kind.name(),
                    new CatalogEntry(kind.name(), kind.descriptor().displayName(), "", "Add")));
        }
        return entries;
    }

    static String title(IntegrationKind kind) {
        CatalogEntry entry = CATALOG.get(kind.name());
        return entry == null ? kind.descriptor().displayName() : entry.title();
    }

    @GetMapping
    String home(@RequestAttribute(SESSION) Session session, @RequestParam(required = false) String notice,
                Model model) {
        if (session.workspaceShown() == null) {
            return "redirect:/console/operator/workspaces";
        }
        List<IntegrationConfig> all = integrations.list(workspace(session));
        model.addAttribute("integrations", all.stream().map(this::row).toList());
        model.addAttribute("notice", notice);
        return "console/integrations";
    }

    record Row(IntegrationConfig integration, String title, StatusView status) {
    }

    private Row row(IntegrationConfig c) {
        return new Row(c, title(c.kind()), status.status(c.id()));
    }

    @GetMapping("/catalog")
    String catalog(Model model) {
        model.addAttribute("catalog", catalog());
        return "console/catalog";
    }

    @GetMapping("/catalog/{kind}")
    String add(@PathVariable String kind, Model model) {
        CatalogEntry entry = catalog().stream().filter(e -> e.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new DomainException.NotFound("integration kind " + kind));
        model.addAttribute("entry", entry);
        model.addAttribute("types", NotificationTypes.of(List.of()));
        model.addAttribute("defaultTypes", IntegrationService.DEFAULT_NOTIFICATION_TYPES);
        return "console/add";
    }

    /** Catalog → kind → Connect / Add endpoint: creates the integration, then starts connecting or shows the secret. */
    @PostMapping("/catalog/{kind}")
    String create(@RequestAttribute(SESSION) Session session, @PathVariable String kind,
                  @RequestParam(defaultValue = "") String name, @RequestParam(required = false) String url,
                  @RequestParam(required = false) List<String> types, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        String ws = workspace(session);
        boolean webhook = IntegrationKind.webhook.name().equals(kind);
        // a Google Chat space is its webhook URL: nothing to connect, the space's name comes from the URL
        boolean space = IntegrationKind.googlechat.name().equals(kind);
        List<ChannelInput> channels = webhook
                ? List.of(new ChannelInput("endpoint-1", hostOf(url), null, url, null, types, null, null))
                : List.of();
        String shownName = name.isBlank() ? defaultName(kind) : name;
        IntegrationService.Saved saved;
        try {
            saved = space ? googleChat.addSpace(ws, shownName, url) : integrations.create(ws, new IntegrationInput(
                    kind, shownName, true, webhook ? allOn(types) : null, webhook ? "endpoint-1" : null, channels,
                    List.of()));
        } catch (DomainException e) {
            ConsoleForms.show(e, "channels[0].", response, model);
            model.addAttribute("name", name);
            model.addAttribute("url", url);
            model.addAttribute("chosen", types == null ? List.of() : types);
            return add(kind, model);
        }
        IntegrationConfig created = saved.integration();
        if (webhook) {
            return secretShown(created, "endpoint-1", saved.newSigningSecrets().get("endpoint-1"), model);
        }
        if (space) {
            return "redirect:/console/integrations/" + created.id() + "?notice=space-added";
        }
        return connect(session, created.id(), request);
    }

    private static Map<String, Boolean> allOn(List<String> types) {
        Map<String, Boolean> on = new java.util.TreeMap<>();
        if (types != null) {
            types.forEach(t -> on.put(t, true));
        }
        return on;
    }

    private String defaultName(String kind) {
        return catalog().stream().filter(e -> e.kind().equals(kind)).map(CatalogEntry::title).findFirst().orElse(kind);
    }

    private static String hostOf(String url) {
        try {
            String host = url == null ? null : java.net.URI.create(url.strip()).getHost();
            return host == null ? "Endpoint" : host;
        } catch (IllegalArgumentException e) {
            return "Endpoint";
        }
    }

    private String secretShown(IntegrationConfig integration, String channelId, String secret, Model model) {
        model.addAttribute("integration", integration);
        model.addAttribute("channel", integration.channel(channelId).orElseThrow());
        model.addAttribute("secret", secret);
        return "console/secret";
    }

    /** Connect / Reconnect: a start link bound to this session, opened at once. */
    @PostMapping("/integrations/{id}/connect")
    String connect(@RequestAttribute(SESSION) Session session, @PathVariable String id, HttpServletRequest request) {
        IntegrationConfig integration = integrations.get(workspace(session), id);
        String startUrl = switch (integration.kind()) {
            case slack -> ConnectLinks.startUrl(SlackConnector.PROVIDER,
                    slack.beginConnect(integration.workspaceId(), id, links.requester(request)));
            case teams -> teams.begin(integration.workspaceId(), id, links.requester(request));
            default -> throw new DomainException.WrongKind("a " + integration.kind()
                    + " integration has nothing to connect");
        };
        return "redirect:" + startUrl;
    }

    @GetMapping("/integrations/{id}")
    String settings(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                    @RequestParam(required = false) String team, @RequestParam(required = false) String notice,
                    Model model) {
        IntegrationConfig integration = integrations.get(workspace(session), id);
        model.addAttribute("integration", integration);
        model.addAttribute("title", title(integration.kind()));
        model.addAttribute("etag", Etags.of(integration));
        model.addAttribute("status", status.status(id));
        model.addAttribute("notice", notice);
        model.addAttribute("types", NotificationTypes.of(List.of(integration)));
        model.addAttribute("defaultChannelName", defaultChannel(integration).map(ChannelConfig::name).orElse(null));
        if (!model.containsAttribute("capPerMinute")) {
            // the stored settings; after a refused change the form keeps what was typed instead
            IntegrationNoise noise = IntegrationNoise.of(integration);
            boolean muted = noise.mute() != null && noise.mute().activeAt(java.time.Instant.now());
            model.addAttribute("capPerMinute", noise.capPerMinute() == null ? "" : noise.capPerMinute().toString());
            model.addAttribute("muteUntil", muted ? NoiseForms.shown(noise.mute().until()) : "");
            model.addAttribute("muteReason", muted && noise.mute().reason() != null ? noise.mute().reason() : "");
        }
        if (integration.kind() == IntegrationKind.slack) {
            model.addAttribute("resolvedAlertChoices", RESOLVED_ALERT_CHOICES);
            if (!model.containsAttribute("resolvedAlerts")) {
                model.addAttribute("resolvedAlerts", SlackKind.resolvedAlerts(integration.properties(), null));
            }
        }
        boolean connected = !integration.credentials().isEmpty();
        model.addAttribute("connected", connected);
        if (integration.kind() == IntegrationKind.slack && connected) {
            pick(model, "slackChannels", () -> slack.channels(integration.workspaceId(), id));
        }
        if (integration.kind() == IntegrationKind.teams && connected
                && !"workflow".equals(integration.properties().get("mode"))) {
            pick(model, "teams", () -> teams.teams(integration.workspaceId(), id));
            if (team != null) {
                model.addAttribute("team", team);
                pick(model, "teamChannels", () -> teams.channels(integration.workspaceId(), id, team));
            }
        }
        return "console/integration";
    }

    /** A picker's options, or the reason they cannot be listed (shown where the picker would be). */
    private static void pick(Model model, String name, java.util.function.Supplier<List<?>> options) {
        try {
            model.addAttribute(name, options.get());
        } catch (DomainException e) {
            model.addAttribute(name + "Problem", e.getMessage());
        }
    }

    @PostMapping("/integrations/{id}/enabled")
    String enable(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                  @RequestParam String etag, @RequestParam boolean enabled) {
        integrations.modify(workspace(session), id, etag, r -> new IntegrationInput(r.kind(), r.name(), enabled,
                r.notificationTypes(), r.defaultChannelId(), r.channels(), r.rules()));
        return "redirect:/console/integrations/" + id + "?notice=" + (enabled ? "enabled" : "disabled");
    }

    /**
     * The integration's cap and mute, through the same service call and validation as {@code PUT …/noise}: an empty
     * field clears the setting. A refused value is shown beside its field, the typed values kept.
     */
    @PostMapping("/integrations/{id}/noise")
    String noise(@RequestAttribute(SESSION) Session session, @PathVariable String id, @RequestParam String etag,
                 @RequestParam(defaultValue = "") String capPerMinute,
                 @RequestParam(defaultValue = "") String muteUntil, @RequestParam(defaultValue = "") String muteReason,
                 HttpServletResponse response, Model model) {
        String ws = workspace(session);
        try {
            integrations.replaceNoise(ws, id, etag, new RuleInput.Noise(NoiseForms.cap(capPerMinute, "capPerMinute"),
                    NoiseForms.mute(muteUntil, muteReason, "mute")));
        } catch (DomainException e) {
            ConsoleForms.show(e, "", response, model);
            model.addAttribute("capPerMinute", capPerMinute);
            model.addAttribute("muteUntil", muteUntil);
            model.addAttribute("muteReason", muteReason);
            return settings(session, id, null, null, model);
        }
        return "redirect:/console/integrations/" + id + "?notice=noise";
    }

    /**
     * Slack: how a resolved alert shows (edit the alert's message, or reply in its thread), through the same service
     * call and validation as the API's {@code resolvedAlerts}.
     */
    @PostMapping("/integrations/{id}/resolved-alerts")
    String resolvedAlerts(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                          @RequestParam String etag, @RequestParam(defaultValue = "") String resolvedAlerts,
                          HttpServletResponse response, Model model) {
        String ws = workspace(session);
        try {
            integrations.modify(ws, id, etag, r -> new IntegrationInput(r.kind(), r.name(), r.enabled(),
                    r.notificationTypes(), r.defaultChannelId(), r.channels(), r.rules(), resolvedAlerts));
        } catch (DomainException e) {
            ConsoleForms.show(e, "", response, model);
            model.addAttribute("resolvedAlerts", resolvedAlerts);
            return settings(session, id, null, null, model);
        }
        return "redirect:/console/integrations/" + id + "?notice=resolved-alerts";
    }

    @PostMapping("/integrations/{id}/delete")
    String delete(@RequestAttribute(SESSION) Session session, @PathVariable String id, @RequestParam String etag) {
        integrations.delete(workspace(session), id, etag);
        return "redirect:/console?notice=deleted";
    }

    /** Slack: the default channel, picked from the channels the bot can see (added to the integration if new). */
    @PostMapping("/integrations/{id}/default-channel")
    String defaultChannel(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                          @RequestParam String etag, @RequestParam String channelId) {
        String ws = workspace(session);
        SlackConnector.SlackChannelView picked = slack.channels(ws, id).stream()
                .filter(c -> c.id().equals(channelId)).findFirst()
                .orElseThrow(() -> new DomainException.NotFound("Slack channel " + channelId));
        integrations.modify(ws, id, etag, r -> new IntegrationInput(r.kind(), r.name(), r.enabled(),
                r.notificationTypes(), picked.id(), withChannel(r.channels(),
                new ChannelInput(picked.id(), picked.name(), null, null, null, null, null, null)), r.rules()));
        return "redirect:/console/integrations/" + id + "?notice=default-channel";
    }

    /** Teams: the team and channel notifications go to (the integration's default channel). */
    @PostMapping("/integrations/{id}/teams-channel")
    String teamsChannel(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                        @RequestParam String etag, @RequestParam String team, @RequestParam String channelId) {
        String ws = workspace(session);
        TeamsConnector.ChannelOption picked = teams.channels(ws, id, team).stream()
                .filter(c -> c.id().equals(channelId)).findFirst()
                .orElseThrow(() -> new DomainException.NotFound("Teams channel " + channelId));
        integrations.modify(ws, id, etag, r -> new IntegrationInput(r.kind(), r.name(), r.enabled(),
                r.notificationTypes(), picked.id(), withChannel(r.channels(),
                new ChannelInput(picked.id(), picked.name(), picked.teamId(), null, null, null, null, null)),
                r.rules()));
        return "redirect:/console/integrations/" + id + "?notice=default-channel";
    }

    private static List<ChannelInput> withChannel(List<ChannelInput> channels, ChannelInput channel) {
        List<ChannelInput> out = new ArrayList<>(channels.stream().filter(c -> !c.id().equals(channel.id())).toList());
        out.add(channel);
        return out;
    }

    /** Webhook: another endpoint, with its own notification types; its signing secret is shown once. */
    @PostMapping("/integrations/{id}/endpoints")
    String addEndpoint(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                       @RequestParam String etag, @RequestParam(defaultValue = "") String name,
                       @RequestParam(defaultValue = "") String url, @RequestParam(required = false) List<String> types,
                       HttpServletResponse response, Model model) {
        String ws = workspace(session);
        IntegrationConfig current = integrations.get(ws, id);
        String channelId = endpointId(current, name.isBlank() ? hostOf(url) : name);
        int index = current.channels().size();
        IntegrationService.Saved saved;
        try {
            saved = integrations.change(ws, id, etag, r -> new IntegrationInput(r.kind(), r.name(), r.enabled(),
                    withTypesOn(r.notificationTypes(), types), r.defaultChannelId() == null ? channelId
                    : r.defaultChannelId(), withChannel(r.channels(), new ChannelInput(channelId,
                    name.isBlank() ? hostOf(url) : name.strip(), null, url, null, types, null, null)), r.rules()));
        } catch (DomainException e) {
            ConsoleForms.show(e, "channels[" + index + "].", response, model);
            model.addAttribute("endpointName", name);
            model.addAttribute("url", url);
            return settings(session, id, null, null, model);
        }
        return secretShown(saved.integration(), channelId, saved.newSigningSecrets().get(channelId), model);
    }

    /** An endpoint's types are switched on for the integration too, or they would never reach it. */
    private static Map<String, Boolean> withTypesOn(Map<String, Boolean> toggles, List<String> types) {
        Map<String, Boolean> out = new java.util.TreeMap<>(toggles);
        if (types != null) {
            types.forEach(t -> out.put(t, true));
        }
        return out;
    }

    private static String endpointId(IntegrationConfig integration, String name) {
        String base = NOT_ID.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("^-+|-+$", "");
        base = base.isEmpty() ? "endpoint" : base.length() > 40 ? base.substring(0, 40) : base;
        String id = base;
        for (int n = 2; integration.channel(id).isPresent(); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    @PostMapping("/integrations/{id}/endpoints/{channelId}/rotate-secret")
    String rotate(@RequestAttribute(SESSION) Session session, @PathVariable String id, @PathVariable String channelId,
                  @RequestParam String etag, Model model) {
        IntegrationService.Saved saved = integrations.rotateSecret(workspace(session), id, channelId, etag);
        return secretShown(saved.integration(), channelId, saved.newSigningSecrets().get(channelId), model);
    }

    @PostMapping("/integrations/{id}/endpoints/{channelId}/enabled")
    String endpointEnabled(@RequestAttribute(SESSION) Session session, @PathVariable String id,
                           @PathVariable String channelId, @RequestParam String etag, @RequestParam boolean enabled) {
        integrations.setChannelEnabled(workspace(session), id, channelId, enabled, etag);
        return "redirect:/console/integrations/" + id + "?notice=" + (enabled ? "endpoint-enabled" : "endpoint-disabled");
    }

    static Optional<ChannelConfig> defaultChannel(IntegrationConfig integration) {
        return integration.defaultChannelId() == null ? Optional.empty()
                : integration.channel(integration.defaultChannelId());
    }
}
