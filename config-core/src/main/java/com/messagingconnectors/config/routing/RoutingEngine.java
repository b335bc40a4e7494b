package com.messagingconnectors.config.routing;

import com.google.re2j.Pattern;
import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationNoise;
import com.messagingconnectors.config.model.Mute;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.schemas.avro.PlatformEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one routing engine: a pure function of (event, the workspace's integrations). The router fans out with it and
 * route preview explains with it, so preview always says what the router does.
 *
 * <p>Per integration: disabled → nothing; type switched off → nothing; else its rules in order, each matching rule
 * adds its channel (once) and stops the walk unless it says "continue"; when no rule matched, the default channel.
 * A muted integration, or a matching muted rule, delivers nothing: the event is reported as not routed ("muted").
 * Routes of rules that group, deduplicate, or of integrations with a cap carry their {@link NoiseControls}.
 */
public final class RoutingEngine {
    /**
     * Compiled regexes by pattern text (RE2/J, see {@link AttributeRegex}): compiling per event would dominate the
     * router's CPU. Empty for a pattern {@link AttributeRegex} refuses: its condition never holds.
     */
    private final Map<String, Optional<Pattern>> regexCache = new ConcurrentHashMap<>();

    public RoutingDecision route(PlatformEvent event, List<IntegrationConfig> integrations) {
        return route(event, integrations, Instant.now());
    }

    /** @param now decides which mutes are in force */
    public RoutingDecision route(PlatformEvent event, List<IntegrationConfig> integrations, Instant now) {
        List<Route> routes = new ArrayList<>();
        List<NotRouted> notRouted = new ArrayList<>();
        for (IntegrationConfig integration : integrations) {
            routeOne(event, integration, now, routes, notRouted);
        }
        return new RoutingDecision(List.copyOf(routes), List.copyOf(notRouted));
    }

    private void routeOne(PlatformEvent event, IntegrationConfig integration, Instant now, List<Route> routes,
                          List<NotRouted> notRouted) {
        String type = event.getType();
        if (!integration.enabled()) {
            notRouted.add(new NotRouted(integration.id(), null, NotRoutedReason.integration_disabled,
                    "integration " + integration.name() + " is disabled"));
            return;
        }
        if (!integration.typeEnabled(type)) {
            notRouted.add(new NotRouted(integration.id(), null, NotRoutedReason.type_switched_off,
                    "notification type " + type + " is switched off for integration " + integration.name()));
            return;
        }
        IntegrationNoise noise = IntegrationNoise.of(integration);
        if (noise.mute() != null && noise.mute().activeAt(now)) {
            notRouted.add(new NotRouted(integration.id(), null, NotRoutedReason.muted,
                    "integration " + integration.name() + " is " + muted(noise.mute())));
            return;
        }
        // channel id -> route, in the order rules chose them; a destination is never chosen twice
        Map<String, Route> chosen = new LinkedHashMap<>();
        boolean anyRuleMatched = false;
        for (RoutingRule rule : integration.rules()) {
            if (!matches(rule, event)) {
                continue;
            }
            anyRuleMatched = true;
            if (rule.mute() != null && rule.mute().activeAt(now)) {
                notRouted.add(new NotRouted(integration.id(), rule.id(), NotRoutedReason.muted,
                        "rule " + label(rule) + " matched but is " + muted(rule.mute())));
            } else {
                choose(integration, rule.channelId(), rule, "matched rule " + label(rule), event, noise, chosen,
                        notRouted);
            }
            if (!rule.continueMatching()) {
                break;
            }
        }
        if (!anyRuleMatched) {
            if (integration.defaultChannelId() == null) {
                notRouted.add(new NotRouted(integration.id(), null, NotRoutedReason.no_rule_matched,
                        "no rule of integration " + integration.name() + " matched and it has no default channel"));
            } else {
                choose(integration, integration.defaultChannelId(), null, "no rule matched: default channel", event,
                        noise, chosen, notRouted);
            }
        }
        routes.addAll(chosen.values());
    }

    private void choose(IntegrationConfig integration, String channelId, RoutingRule rule, String why,
                        PlatformEvent event, IntegrationNoise noise, Map<String, Route> chosen,
                        List<NotRouted> notRouted) {
        String ruleId = rule == null ? null : rule.id();
        String type = event.getType();
        if (chosen.containsKey(channelId)) {
            return;
        }
        ChannelConfig channel = integration.channel(channelId).orElse(null);
        if (channel == null) {
            notRouted.add(new NotRouted(integration.id(), ruleId, NotRoutedReason.channel_unknown,
                    "channel " + channelId + " does not exist in integration " + integration.name()));
            return;
        }
        if (!channel.enabled()) {
            notRouted.add(new NotRouted(integration.id(), ruleId, NotRoutedReason.channel_disabled,
                    "channel " + channelLabel(channel) + " is disabled"));
            return;
        }
        if (!channel.types().isEmpty() && channel.types().stream().noneMatch(p -> new TypePattern(p).matches(type))) {
            notRouted.add(new NotRouted(integration.id(), ruleId, NotRoutedReason.type_not_selected_by_endpoint,
                    "endpoint " + channelLabel(channel) + " does not accept " + type));
            return;
        }
        chosen.put(channelId, new Route(integration.id(), integration.kind(), channelId, channel.name(),
                integration.destinationId(channelId), ruleId, why, NoiseControls.of(event, rule, noise)));
    }

    private boolean matches(RoutingRule rule, PlatformEvent event) {
        var match = rule.match();
        if (!match.types().isEmpty() && match.types().stream().noneMatch(p -> new TypePattern(p).matches(event.getType()))) {
            return false;
        }
        if (!match.levels().isEmpty() && !match.levels().contains(event.getLevel().name())) {
            return false;
        }
        for (AttributeMatch condition : match.attributes()) {
            String value = event.getAttributes().get(condition.key());
            if (value == null) {
                return false;
            }
            if (condition.equals() != null && !condition.equals().equals(value)) {
                return false;
            }
            if (condition.regex() != null && !regexCache.computeIfAbsent(condition.regex(), AttributeRegex::compile)
                    .map(pattern -> AttributeRegex.matches(pattern, value)).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private static String muted(Mute mute) {
        return "muted until " + mute.until() + (mute.reason() == null ? "" : " (" + mute.reason() + ")");
    }

    private static String label(RoutingRule rule) {
        return rule.name() == null ? rule.id() : rule.id() + " (" + rule.name() + ")";
    }

    private static String channelLabel(ChannelConfig channel) {
        return channel.name() == null ? channel.id() : channel.name();
    }
}
