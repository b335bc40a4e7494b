package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.integration.NoiseText;
import com.messagingconnectors.integration.api.Dtos.DedupeRequest;
import com.messagingconnectors.integration.api.Dtos.GroupingRequest;
import com.messagingconnectors.integration.api.Dtos.IntegrationRequest;
import com.messagingconnectors.integration.api.Dtos.MatchRequest;
import com.messagingconnectors.integration.api.Dtos.MuteRequest;
import com.messagingconnectors.integration.api.Dtos.NoiseSettings;
import com.messagingconnectors.integration.api.Dtos.RuleRequest;
import com.messagingconnectors.integration.api.Dtos.RuleView;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.domain.RuleInput;

import java.util.List;
import java.util.function.Function;

/**
 * The API's JSON shapes to the services' inputs and the stored rules back to JSON. Nulls stay nulls (an absent field
 * keeps its default, a null list entry is reported by the validator), so the services see what the client sent.
 */
final class ApiMapping {
    private ApiMapping() {
    }

    static IntegrationInput integration(IntegrationRequest r) {
        return new IntegrationInput(r.kind(), r.name(), r.enabled(), r.notificationTypes(), r.defaultChannelId(),
                each(r.channels(), c -> c == null ? null : ChannelInput.of(c)), rules(r.rules()), r.resolvedAlerts());
    }

    static List<RuleInput> rules(List<RuleRequest> rules) {
        return each(rules, ApiMapping::rule);
    }

    static RuleInput.Noise noise(NoiseSettings n) {
        return new RuleInput.Noise(n.capPerMinute(), mute(n.mute()));
    }

    private static RuleInput rule(RuleRequest r) {
        if (r == null) {
            return null;
        }
        MatchRequest m = r.match();
        GroupingRequest g = r.grouping();
        return new RuleInput(r.id(), r.name(),
                m == null ? null : new RuleInput.Match(m.types(), m.levels(), m.attributes()), r.channelId(),
                r.continueMatching(), g == null ? null : new RuleInput.Grouping(g.by(), g.waitTime(), g.interval()),
                r.dedupe() == null ? null : new RuleInput.Dedupe(r.dedupe().window()), mute(r.mute()));
    }

    private static RuleInput.Mute mute(MuteRequest m) {
        return m == null ? null : new RuleInput.Mute(m.until(), m.reason());
    }

    static MuteRequest view(RuleInput.Mute m) {
        return m == null ? null : new MuteRequest(m.until(), m.reason());
    }

    static RuleRequest ruleRequest(RoutingRule r) {
        RuleView v = ruleView(r);
        return new RuleRequest(v.id(), v.name(), v.match(), v.channelId(), v.continueMatching(), v.grouping(),
                v.dedupe(), v.mute());
    }

    static RuleView ruleView(RoutingRule r) {
        RuleInput.Grouping g = NoiseText.view(r.grouping());
        RuleInput.Dedupe d = NoiseText.view(r.dedupe());
        return new RuleView(r.id(), r.name(), new MatchRequest(r.match().types(), r.match().levels(),
                r.match().attributes()), r.channelId(), r.continueMatching(),
                g == null ? null : new GroupingRequest(g.by(), g.waitTime(), g.interval()),
                d == null ? null : new DedupeRequest(d.window()), view(NoiseText.view(r.mute())));
    }

    private static <A, B> List<B> each(List<A> in, Function<A, B> map) {
        return in == null ? null : in.stream().map(map).toList();
    }
}
