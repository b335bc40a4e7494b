package com.messagingconnectors.config.routing;

import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingEngineTest {
    static {
        com.messagingconnectors.schemas.AvroClassTrust.ensure();
    }

    private final RoutingEngine engine = new RoutingEngine();

    /** The product's examples: report.completed → #analytics-team, user.deactivated → #security, else default. */
    private final IntegrationConfig slack = integration("int_slack", IntegrationKind.slack,
            Map.of("report.completed", true, "user.deactivated", true, "user.invited", true, "sync.failed", false),
            "C_general",
            List.of(new SlackChannelConfig("C_general", "#general"), new SlackChannelConfig("C_analytics", "#analytics-team"),
                    new SlackChannelConfig("C_security", "#security")),
            List.of(rule("r1", List.of("report.completed"), List.of(), "C_analytics", false),
                    rule("r2", List.of("user.deactivated"), List.of(), "C_security", false)));

    /** "every alert-level event → the on-call webhook". */
    private final IntegrationConfig oncall = integration("int_hook", IntegrationKind.webhook,
            Map.of("alert.triggered", true, "sync.failed", true, "report.completed", true), null,
            List.of(endpoint("ep_oncall", List.of())),
            List.of(rule("r1", List.of("*"), List.of("alert"), "ep_oncall", false)));

    @Test
    void reportCompletedGoesToAnalyticsChannel() {
        var decision = engine.route(event("report.completed", Level.info), List.of(slack));
        assertThat(decision.routes()).extracting(Route::channelName).containsExactly("#analytics-team");
        assertThat(decision.routes().getFirst().ruleId()).isEqualTo("r1");
        assertThat(decision.routes().getFirst().destinationId()).isEqualTo("int_slack/C_analytics");
    }

    @Test
    void userDeactivatedGoesToSecurityChannel() {
        var decision = engine.route(event("user.deactivated", Level.warning), List.of(slack));
        assertThat(decision.routes()).extracting(Route::channelName).containsExactly("#security");
    }

    @Test
    void everythingElseSwitchedOnGoesToTheDefaultChannel() {
        var decision = engine.route(event("user.invited", Level.info), List.of(slack));
        assertThat(decision.routes()).extracting(Route::channelName).containsExactly("#general");
        assertThat(decision.routes().getFirst().ruleId()).isNull();
        assertThat(decision.routes().getFirst().why()).contains("default channel");
    }

    @Test
    void alertLevelEventsGoToTheOnCallWebhookWhateverTheirType() {
        var alert = engine.route(event("sync.failed", Level.alert), List.of(slack, oncall));
        assertThat(alert.routes()).extracting(Route::destinationId).containsExactly("int_hook/ep_oncall");
        var info = engine.route(event("report.completed", Level.info), List.of(oncall));
        assertThat(info.routes()).isEmpty();
        assertThat(info.notRouted()).extracting(NotRouted::reason).containsExactly(NotRoutedReason.no_rule_matched);
    }

    @Test
    void switchedOffTypeIsNotRoutedAndSaysWhy() {
        var decision = engine.route(event("sync.failed", Level.warning), List.of(slack));
        assertThat(decision.routes()).isEmpty();
        assertThat(decision.notRouted()).singleElement().satisfies(n -> {
            assertThat(n.reason()).isEqualTo(NotRoutedReason.type_switched_off);
            assertThat(n.detail()).contains("sync.failed");
        });
    }

    @Test
    void newTypeIsOffUntilSwitchedOnThenRoutesByWildcard() {
        var newType = event("billing.invoice_paid", Level.info);
        assertThat(engine.route(newType, List.of(slack)).routes()).isEmpty();
        var withNewType = copy(slack, Map.of("billing.invoice_paid", true),
                List.of(rule("r9", List.of("billing.*"), List.of(), "C_analytics", false)), true);
        assertThat(engine.route(newType, List.of(withNewType)).routes()).extracting(Route::channelName)
                .containsExactly("#analytics-team");
    }

    @Test
    void disabledIntegrationReceivesNothing() {
        var disabled = copy(slack, slack.notificationTypes(), slack.rules(), false);
        var decision = engine.route(event("report.completed", Level.info), List.of(disabled));
        assertThat(decision.routes()).isEmpty();
        assertThat(decision.notRouted()).extracting(NotRouted::reason)
                .containsExactly(NotRoutedReason.integration_disabled);
    }

    @Test
    void stopAtFirstMatchUnlessContinueAndNeverTheSameDestinationTwice() {
        var rules = List.of(
                rule("a", List.of("report.*"), List.of(), "C_analytics", true),
                rule("b", List.of("*"), List.of(), "C_analytics", true),
                rule("c", List.of("report.completed"), List.of(), "C_security", false),
                rule("d", List.of("*"), List.of(), "C_general", false));
        var cfg = copy(slack, slack.notificationTypes(), rules, true);
        var decision = engine.route(event("report.completed", Level.info), List.of(cfg));
        assertThat(decision.routes()).extracting(Route::channelName, Route::ruleId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("#analytics-team", "a"),
                        org.assertj.core.groups.Tuple.tuple("#security", "c"));
    }

    @Test
    void attributeConditionsEqualsAndRegex() {
        var rules = List.of(new RoutingRule("env", null, new RuleMatch(List.of("*"), List.of(),
                        List.of(new AttributeMatch("env", "prod", null), new AttributeMatch("region", null, "eu-.*"))),
                "C_security", false));
        var cfg = copy(slack, slack.notificationTypes(), rules, true);
        var prodEu = withAttributes(event("report.completed", Level.info), Map.of("env", "prod", "region", "eu-west-1"));
        var prodUs = withAttributes(event("report.completed", Level.info), Map.of("env", "prod", "region", "us-east-1"));
        assertThat(engine.route(prodEu, List.of(cfg)).routes()).extracting(Route::channelName).containsExactly("#security");
        assertThat(engine.route(prodUs, List.of(cfg)).routes()).extracting(Route::channelName).containsExactly("#general");
    }

    @Test
    void webhookEndpointOnlyReceivesTheTypesItSelected() {
        var hook = integration("int_h2", IntegrationKind.webhook, Map.of("report.completed", true, "user.invited", true),
                "ep1", List.of(endpoint("ep1", List.of("report.*"))), List.of());
        assertThat(engine.route(event("report.completed", Level.info), List.of(hook)).routes()).hasSize(1);
        var invited = engine.route(event("user.invited", Level.info), List.of(hook));
        assertThat(invited.routes()).isEmpty();
        assertThat(invited.notRouted()).extracting(NotRouted::reason)
                .containsExactly(NotRoutedReason.type_not_selected_by_endpoint);
    }

    @Test
    void typePatternSyntax() {
        assertThat(TypePattern.problem("report.completed")).isNull();
        assertThat(TypePattern.problem("report.*")).isNull();
        assertThat(TypePattern.problem("*")).isNull();
        assertThat(TypePattern.problem("report*")).contains("not a type pattern");
        assertThat(TypePattern.problem("*.completed")).contains("not a type pattern");
        assertThat(TypePattern.problem("Report.Completed")).contains("not a type pattern");
        assertThat(TypePattern.parse("report.*").matches("report.completed")).isTrue();
        assertThat(TypePattern.parse("report.*").matches("reporting.done")).isFalse();
        assertThat(TypePattern.parse("report.*").matches("report")).isFalse();
    }

    static PlatformEvent event(String type, Level level) {
        return PlatformEvent.newBuilder().setEventId("7b0c5d8e-0000-4000-8000-000000000001").setType(type)
                .setWorkspaceId("ws_test").setOccurredAt(Instant.parse("2026-11-28T10:00:00Z")).setLevel(level)
                .setSummary("s").setPayload(new GenericPayload("{}")).build();
    }

    static PlatformEvent withAttributes(PlatformEvent e, Map<String, String> attributes) {
        return PlatformEvent.newBuilder(e).setAttributes(attributes).build();
    }

    static RoutingRule rule(String id, List<String> types, List<String> levels, String channel, boolean cont) {
        return new RoutingRule(id, null, new RuleMatch(types, levels, List.of()), channel, cont);
    }

    static ChannelConfig endpoint(String id, List<String> types) {
        return new WebhookEndpointConfig(id, id, "https://hooks.example.com/" + id, null, types, null, null, true, null, null);
    }

    static IntegrationConfig integration(String id, IntegrationKind kind, Map<String, Boolean> types,
                                         String defaultChannel, List<ChannelConfig> channels, List<RoutingRule> rules) {
        return new IntegrationConfig(id, "ws_test", kind, id, true, types, defaultChannel, channels, rules, null, null,
                1, Instant.EPOCH, Instant.EPOCH);
    }

    static IntegrationConfig copy(IntegrationConfig c, Map<String, Boolean> types, List<RoutingRule> rules,
                                  boolean enabled) {
        return new IntegrationConfig(c.id(), c.workspaceId(), c.kind(), c.name(), enabled, types, c.defaultChannelId(),
                c.channels(), rules, c.credentials(), c.properties(), c.version() + 1, c.createdAt(), c.updatedAt());
    }
}
