package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The alert rules file (also the chart's PrometheusRule), checked and unit-tested with the real
 * promtool.
 */
class AlertRulesTest {

  static final Path RULES = Path.of("swarmtee", "files", "swarmtee-alerts.yaml").toAbsolutePath();
  static final Path RULE_TESTS =
      Path.of("src", "test", "resources", "promtool", "alerts-test.yaml").toAbsolutePath();

  static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (JsonNode group : Manifests.YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        Matcher m = GrafanaDashboardTest.METRIC.matcher(rule.path("expr").asText());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void rulesAreValid() throws Exception {
    String promtool = Processes.require("promtool", "prometheus");
    Processes.Result r =
        Processes.run(RULES.getParent(), null, promtool, "check", "rules", RULES.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("SUCCESS: 12 rules found"), r.output());
  }

  @Test
  void everyAlertFiresAndResolvesAsSpecified() throws Exception {
    String promtool = Processes.require("promtool", "prometheus");
    Processes.Result r =
        Processes.run(
            RULE_TESTS.getParent(), null, promtool, "test", "rules", RULE_TESTS.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("SUCCESS"), r.output());
  }

  @Test
  void everyAlertTheIssueAsksForExistsAndIsUnitTested() throws IOException {
    List<String> alerts = Manifests.YAML.readTree(RULES.toFile()).findValuesAsText("alert");
    assertEquals(
        List.of(
            "SwarmteeArchiveLagHigh",
            "SwarmteeSegmentsLost",
            "SwarmteeSegmentsDropped",
            "SwarmteeReferenceMismatch",
            "SwarmteeUploadFailures",
            "SwarmteeSpoolFillingUp",
            "SwarmteeBeeDown",
            "SwarmteePostageBatchTtlLow",
            "SwarmteePostageBatchNearlyFull",
            "SwarmteeArchiveUnretrievable",
            "SwarmteeWebhooksBacklog",
            "SwarmteeClusterMembersMissing"),
        alerts);
    List<String> tested =
        Manifests.YAML.readTree(RULE_TESTS.toFile()).findValuesAsText("alertname");
    assertTrue(
        tested.containsAll(alerts),
        "untested: " + alerts.stream().filter(a -> !tested.contains(a)).toList());
  }
}
