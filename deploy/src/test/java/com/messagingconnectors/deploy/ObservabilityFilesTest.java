package com.messagingconnectors.deploy;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shipped alert rules and dashboard are well-formed: promtool accepts the rules, the Prometheus Operator's copy
 * says the same, every alert has a runbook line, and every dashboard panel has a query. (That the metrics they name
 * exist is checked against running services by e2e-tests' ObservabilityIT.)
 */
class ObservabilityFilesTest {
    private static final Path DIR = Path.of("..").toAbsolutePath().normalize().resolve("deploy/observability");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "rules", DIR.resolve("prometheus-rules.yml").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool not found: install Debian's prometheus package (the build does when "
                    + "it runs as root)", e);
        }
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasASummaryAndARunbookAndTheOperatorCopyIsTheSame() throws IOException {
        Map<String, Object> rules = yaml(DIR.resolve("prometheus-rules.yml"));
        Map<String, Object> operator = yaml(DIR.resolve("prometheusrule.yaml"));
        assertThat(operator.get("spec")).isEqualTo(rules);
        List<Map<String, Object>> alerts = ((List<Map<String, Object>>) rules.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        assertThat(alerts).isNotEmpty();
        for (Map<String, Object> alert : alerts) {
            Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            assertThat(annotations).as(alert.get("alert").toString()).containsKeys("summary", "runbook");
        }
    }

    @Test
    void everyDashboardPanelHasAQuery() throws IOException {
        JsonNode dashboard = Json.MAPPER.readTree(DIR.resolve("grafana/messaging-connectors.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.at("/targets/0/expr").asString("")).as(panel.get("title").asString("")).isNotBlank();
        }
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
    }
}
