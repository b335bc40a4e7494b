package com.messagingconnectors.config.routing;

import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.SlackChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.schemas.avro.Level;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.messagingconnectors.config.routing.RoutingEngineTest.event;
import static com.messagingconnectors.config.routing.RoutingEngineTest.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenant regexes cannot stall the router: RE2/J matching, bounded patterns and inputs. */
class AttributeRegexTest {
    static {
        com.messagingconnectors.schemas.AvroClassTrust.ensure();
    }

    private final RoutingEngine engine = new RoutingEngine();

    @Test
    void nestedQuantifierOnAHundredThousandCharactersGivesTheRightAnswer() {
        // (a+)+b backtracks exponentially in java.util.regex on a run of a's without the b; RE2/J is linear
        var pattern = AttributeRegex.compile("(a+)+b").orElseThrow();
        String run = "a".repeat(100_000);
        assertThat(pattern.matcher(run).matches()).isFalse();
        assertThat(pattern.matcher(run + "b").matches()).isTrue();
        assertThat(pattern.matcher(run + "c").matches()).isFalse();
    }

    @Test
    void routerEvaluatesTheNestedQuantifierOnTheLongestValueItMatches() {
        IntegrationConfig cfg = withRegex("(a+)+b");
        String run = "a".repeat(AttributeRegex.MAX_INPUT_LENGTH - 1);
        assertThat(routedTo(cfg, run + "b")).containsExactly("#security");
        assertThat(routedTo(cfg, run + "c")).containsExactly("#general");
        // longer values are never matched against a pattern (equals conditions still see them)
        assertThat(routedTo(cfg, run + "ab")).containsExactly("#general");
    }

    @Test
    void backreferencesAndLookaroundAreRefusedWithAReason() {
        assertThat(AttributeRegex.problem("(a+)+b\\1")).contains("backreferences").contains("\\1");
        assertThat(AttributeRegex.problem("eu-(?=west)")).contains("lookahead");
        assertThat(AttributeRegex.problem("eu-.*")).isNull();
        assertThat(AttributeRegex.problem("[0-9]{4}-[0-9]{2}")).isNull();
    }

    @Test
    void longAndExplodingPatternsAreRefusedBeforeTheyAreCompiled() {
        assertThat(AttributeRegex.problem("a".repeat(AttributeRegex.MAX_PATTERN_LENGTH))).isNull();
        assertThat(AttributeRegex.problem("a".repeat(AttributeRegex.MAX_PATTERN_LENGTH + 1)))
                .contains("at most " + AttributeRegex.MAX_PATTERN_LENGTH);
        // compiling this one runs RE2/J out of memory: it has to be refused from its text
        assertThat(AttributeRegex.problem("((a{1000}){1000}){1000}")).contains("too complex");
        assertThat(AttributeRegex.problem("(a{100}){100}")).contains("too complex");
        assertThat(AttributeRegex.problem("[a-z]{1000}")).isNull();
        assertThat(AttributeRegex.problem("\\{a{1000}\\}[{]{2}")).isNull();
    }

    @Test
    void aStoredPatternThatIsNowRefusedNeverMatches() {
        // written before these checks: the rule simply does not match, the router keeps going
        assertThat(routedTo(withRegex("(a)\\1"), "aa")).containsExactly("#general");
    }

    private List<String> routedTo(IntegrationConfig cfg, String region) {
        return engine.route(withAttributes(event("report.completed", Level.info), Map.of("region", region)),
                List.of(cfg)).routes().stream().map(Route::channelName).toList();
    }

    private static IntegrationConfig withRegex(String regex) {
        var rule = new RoutingRule("r", null, new RuleMatch(List.of("*"), List.of(),
                List.of(new AttributeMatch("region", null, regex))), "C_security", false);
        return RoutingEngineTest.integration("int_re", IntegrationKind.slack,
                Map.of("report.completed", true), "C_general",
                List.of(new SlackChannelConfig("C_general", "#general"),
                        new SlackChannelConfig("C_security", "#security")),
                List.of(rule));
    }
}
