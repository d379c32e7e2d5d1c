package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical dashboard grafana/swarmtee.json: structure, and every query checked by the real
 * promtool.
 */
class GrafanaDashboardTest {

  static final Path DASHBOARD = Path.of("..", "grafana", "swarmtee.json");
  static final Pattern METRIC = Pattern.compile("\\b(swarmtee_[a-z0-9_]+|jvm_[a-z0-9_]+)\\b");

  static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(DASHBOARD.toFile());
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(
            p -> {
              if (!"row".equals(p.path("type").asText())) {
                out.add(p);
              }
            });
    return out;
  }

  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    panels(dashboard)
        .forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
    return out;
  }

  /** Metric names (as exported, incl. _bucket/_total suffixes) used by the dashboard's queries. */
  static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions(dashboard())) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  void hasFixedUidAndDatasourceJobInstanceVariables() throws IOException {
    JsonNode d = dashboard();
    assertEquals("swarmtee-overview", d.path("uid").asText());
    List<String> vars = d.path("templating").path("list").findValuesAsText("name");
    assertEquals(List.of("datasource", "job", "instance"), vars);
    assertEquals("datasource", d.path("templating").path("list").get(0).path("type").asText());
  }

  @Test
  void everyPanelUsesTheDatasourceVariableHasAUnitAndFiltersByJobAndInstance() throws IOException {
    List<JsonNode> panels = panels(dashboard());
    assertTrue(panels.size() >= 20, "panels: " + panels.size());
    for (JsonNode p : panels) {
      String title = p.path("title").asText();
      assertEquals("${datasource}", p.path("datasource").path("uid").asText(), title);
      assertFalse(
          p.path("fieldConfig").path("defaults").path("unit").asText().isBlank(),
          title + " has no unit");
      assertTrue(p.path("targets").size() > 0, title + " has no query");
      for (JsonNode t : p.path("targets")) {
        assertEquals("${datasource}", t.path("datasource").path("uid").asText(), title);
        String expr = t.path("expr").asText();
        assertTrue(
            expr.contains("job=~\"$job\"") && expr.contains("instance=~\"$instance\""),
            title + ": " + expr);
      }
    }
  }

  @Test
  void coversWhatAnOperatorLooksAtFirst() throws IOException {
    Set<String> names = metricNames();
    for (String required :
        List.of(
            "swarmtee_http_requests_total",
            "swarmtee_http_bytes_sent_total",
            "swarmtee_cache_requests_total",
            "swarmtee_upstream_duration_seconds_bucket",
            "swarmtee_archive_lag_seconds_bucket",
            "swarmtee_archive_segments_total",
            "swarmtee_upload_duration_seconds_bucket",
            "swarmtee_upload_queue_segments",
            "swarmtee_spool_segments",
            "swarmtee_upload_retries_total",
            "swarmtee_reference_mismatches_total",
            "swarmtee_bee_up",
            "swarmtee_postage_batch_ttl_seconds",
            "swarmtee_postage_batch_utilization_ratio",
            "swarmtee_postage_capacity_remaining_bytes",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_sum",
            "swarmtee_event_loop_lag_seconds")) {
      assertTrue(names.contains(required), "dashboard lacks " + required);
    }
  }

  @Test
  void everyQueryIsValidPromQL(@TempDir Path tmp) throws Exception {
    String promtool = Processes.require("promtool", "prometheus");
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int i = 0;
    for (String expr : expressions(dashboard())) {
      String concrete =
          expr.replace("$__rate_interval", "5m").replace("$job", ".*").replace("$instance", ".*");
      rules
          .append("      - record: dashboard:query:")
          .append(i++)
          .append("\n        expr: ")
          .append(new ObjectMapper().writeValueAsString(concrete))
          .append('\n');
    }
    Path file = tmp.resolve("dashboard-rules.yaml");
    Files.writeString(file, rules);
    Processes.Result r = Processes.run(tmp, null, promtool, "check", "rules", file.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("SUCCESS: " + i + " rules found"), r.output());
  }
}
