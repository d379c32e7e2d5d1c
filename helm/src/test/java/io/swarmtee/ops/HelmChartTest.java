package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm lint} and {@code helm template} of helm/swarmtee with a real helm (helm-java's native
 * library).
 */
class HelmChartTest {

  static final Path CHART = Path.of("swarmtee").toAbsolutePath();

  static Stream<Path> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-values.yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  static Manifests template(Path values) throws IOException {
    return Manifests.parse(
        new Helm(CHART)
            .template()
            .withName("edge")
            .withNamespace("video")
            .withValuesFile(values)
            .call());
  }

  static Manifests template(Map<String, Object> set) throws IOException {
    var cmd = new Helm(CHART).template().withName("edge").withNamespace("video");
    set.forEach(cmd::set);
    return Manifests.parse(cmd.call());
  }

  @Test
  void lintsStrictWithDefaults() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
  }

  /**
   * helm-java's lint takes no values file, so each scenario is linted as a copy of the chart whose
   * values are merged.
   */
  @ParameterizedTest
  @MethodSource("scenarios")
  void lintsStrictEveryScenario(Path scenario, @TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("swarmtee");
    copyTree(CHART, copy);
    JsonNode merged =
        merge(
            (ObjectNode) Manifests.YAML.readTree(CHART.resolve("values.yaml").toFile()),
            Manifests.YAML.readTree(scenario.toFile()));
    Manifests.YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
    LintResult result = new Helm(copy).lint().strict().call();
    assertFalse(
        result.isFailed(), () -> scenario + ":\n" + String.join("\n", result.getMessages()));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void everyScenarioRendersASecureSwarmteeWithProbes(Path scenario) throws IOException {
    Manifests m = template(scenario);
    JsonNode sts = m.find("StatefulSet", "edge-swarmtee").orElseThrow();
    JsonNode pod = sts.path("spec").path("template").path("spec");
    JsonNode c = Manifests.container(sts, "swarmtee").orElseThrow();

    assertEquals("/health", c.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals(8080, c.path("ports").get(0).path("containerPort").asInt());
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
    assertTrue(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
    assertFalse(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals(
        "ALL", c.path("securityContext").path("capabilities").path("drop").get(0).asText());
    assertTrue(c.path("resources").path("limits").has("memory"), "memory limit set");
    // The read-only root filesystem needs writable /tmp and /data.
    List<String> mounts = c.path("volumeMounts").findValuesAsText("mountPath");
    assertTrue(mounts.containsAll(List.of("/data", "/tmp")), mounts.toString());
    ObjectNode env = Manifests.env(c);
    assertEquals("/data", env.path("SWARMTEE_DATA").path("value").asText());
    assertTrue(env.path("JAVA_TOOL_OPTIONS").path("value").asText().contains("MaxRAMPercentage"));
    assertTrue(m.find("Service", "edge-swarmtee").isPresent());
    // No Secret is ever rendered by the chart: keys and tokens come only from existing Secrets.
    assertTrue(m.ofKind("Secret").isEmpty());
  }

  @Test
  void defaultsProxyOnlyWithPersistentDataAndNothingOptional() throws IOException {
    Manifests m = template(Map.of());
    JsonNode sts = m.find("StatefulSet", "edge-swarmtee").orElseThrow();
    assertEquals(
        "data",
        sts.path("spec")
            .path("volumeClaimTemplates")
            .get(0)
            .path("metadata")
            .path("name")
            .asText());
    ObjectNode env = Manifests.env(Manifests.container(sts, "swarmtee").orElseThrow());
    assertEquals("false", env.path("SWARMTEE_ARCHIVE").path("value").asText());
    assertFalse(env.has("SWARMTEE_BEE"));
    assertFalse(env.has("SWARMTEE_KEYSTORE"));
    assertFalse(env.has("SWARMTEE_ADMIN_TOKEN"));
    for (String kind :
        List.of("ServiceMonitor", "PrometheusRule", "Ingress", "NetworkPolicy", "ConfigMap")) {
      assertTrue(m.ofKind(kind).isEmpty(), kind + " is rendered only when enabled");
    }
    assertEquals(1, m.ofKind("StatefulSet").size(), "no Bee unless bee.enabled");
    assertTrue(m.find("PodDisruptionBudget", "edge-swarmtee").isPresent());
  }

  @Test
  void externalBeeScenarioWiresSecretsMonitoringAndNetworkPolicy() throws IOException {
    Manifests m = template(CHART.resolve("ci/archive-external-bee-values.yaml"));
    JsonNode sts = m.find("StatefulSet", "edge-swarmtee").orElseThrow();
    JsonNode c = Manifests.container(sts, "swarmtee").orElseThrow();
    ObjectNode env = Manifests.env(c);
    assertEquals("http://bee.swarm:1633", env.path("SWARMTEE_BEE").path("value").asText());
    assertEquals("true", env.path("SWARMTEE_ARCHIVE").path("value").asText());
    assertEquals(
        "/etc/swarmtee/wallet/keystore.json", env.path("SWARMTEE_KEYSTORE").path("value").asText());
    assertEquals(
        "/etc/swarmtee/wallet/password", env.path("SWARMTEE_PASSWORD_FILE").path("value").asText());
    JsonNode token = env.path("SWARMTEE_ADMIN_TOKEN").path("valueFrom").path("secretKeyRef");
    assertEquals("swarmtee-admin", token.path("name").asText());
    assertEquals("admin-token", token.path("key").asText());
    // The wallet Secret is mounted read-only, owner-read only.
    JsonNode walletVolume =
        findByName(sts.path("spec").path("template").path("spec").path("volumes"), "wallet");
    assertEquals("broadcaster-wallet", walletVolume.path("secret").path("secretName").asText());
    assertEquals(0400, walletVolume.path("secret").path("defaultMode").asInt());
    assertTrue(findByName(c.path("volumeMounts"), "wallet").path("readOnly").asBoolean());

    JsonNode sm = m.find("ServiceMonitor", "edge-swarmtee").orElseThrow();
    assertEquals("/metrics", sm.path("spec").path("endpoints").get(0).path("path").asText());
    assertEquals("prometheus", sm.path("metadata").path("labels").path("release").asText());

    JsonNode rule = m.find("PrometheusRule", "edge-swarmtee").orElseThrow();
    JsonNode plain = Manifests.YAML.readTree(CHART.resolve("files/swarmtee-alerts.yaml").toFile());
    assertEquals(
        plain.path("groups"),
        rule.path("spec").path("groups"),
        "PrometheusRule = the plain rules file");

    JsonNode np = m.find("NetworkPolicy", "edge-swarmtee").orElseThrow();
    List<Integer> egressPorts =
        np.path("spec").path("egress").findValues("port").stream().map(JsonNode::asInt).toList();
    assertEquals(
        List.of(53, 53, 9935, 1633), egressPorts, "egress only to DNS, the upstream and Bee");

    assertEquals(
        "live.example.org",
        m.find("Ingress", "edge-swarmtee")
            .orElseThrow()
            .path("spec")
            .path("rules")
            .get(0)
            .path("host")
            .asText());
    assertEquals(1, m.ofKind("StatefulSet").size(), "an external Bee is not deployed");
  }

  @Test
  void beeEnabledDeploysBeeWithTheWalletKeyAndWiresSwarmteeToIt() throws IOException {
    Manifests m = template(CHART.resolve("ci/bee-enabled-values.yaml"));
    JsonNode bee = m.find("StatefulSet", "edge-swarmtee-bee").orElseThrow();
    JsonNode beeContainer = Manifests.container(bee, "bee").orElseThrow();
    assertTrue(beeContainer.path("image").asText().startsWith("ethersphere/bee:"));
    assertEquals(
        "/etc/bee/wallet/password",
        Manifests.env(beeContainer).path("BEE_PASSWORD_FILE").path("value").asText());
    assertEquals(
        "install-wallet-key",
        bee.path("spec")
            .path("template")
            .path("spec")
            .path("initContainers")
            .get(0)
            .path("name")
            .asText());
    assertEquals(
        "data",
        bee.path("spec")
            .path("volumeClaimTemplates")
            .get(0)
            .path("metadata")
            .path("name")
            .asText());
    assertTrue(m.find("Service", "edge-swarmtee-bee").isPresent());

    JsonNode sts = m.find("StatefulSet", "edge-swarmtee").orElseThrow();
    assertEquals(2, sts.path("spec").path("replicas").asInt());
    ObjectNode env = Manifests.env(Manifests.container(sts, "swarmtee").orElseThrow());
    assertEquals("http://edge-swarmtee-bee:1633", env.path("SWARMTEE_BEE").path("value").asText());
    assertEquals("auto", env.path("SWARMTEE_BATCH").path("value").asText());
    assertEquals("24", env.path("SWARMTEE_BATCH_DEPTH").path("value").asText());
    assertEquals("100000000000000000", env.path("SWARMTEE_MAX_SPEND").path("value").asText());

    JsonNode np = m.find("NetworkPolicy", "edge-swarmtee").orElseThrow();
    assertEquals(
        "bee",
        np.path("spec")
            .path("egress")
            .get(2)
            .path("to")
            .get(0)
            .path("podSelector")
            .path("matchLabels")
            .path("app.kubernetes.io/component")
            .asText());
  }

  @Test
  void clusterScenarioRunsThreePodsThatFindEachOtherThroughTheHeadlessService() throws IOException {
    Manifests m = template(CHART.resolve("ci/cluster-values.yaml"));
    JsonNode sts = m.find("StatefulSet", "edge-swarmtee").orElseThrow();
    assertEquals(3, sts.path("spec").path("replicas").asInt());
    assertEquals("edge-swarmtee-headless", sts.path("spec").path("serviceName").asText());
    JsonNode c = Manifests.container(sts, "swarmtee").orElseThrow();
    ObjectNode env = Manifests.env(c);
    assertEquals(
        "status.podIP",
        env.path("POD_IP").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    assertEquals("$(POD_IP):5701", env.path("SWARMTEE_CLUSTER_LISTEN").path("value").asText());
    assertEquals(
        "edge-swarmtee-headless.video.svc.cluster.local",
        env.path("SWARMTEE_CLUSTER_KUBERNETES_SERVICE").path("value").asText());
    assertEquals("live-edge", env.path("SWARMTEE_CLUSTER_NAME").path("value").asText());
    List<String> names = c.path("env").findValuesAsText("name");
    assertTrue(
        names.indexOf("POD_IP") < names.indexOf("SWARMTEE_CLUSTER_LISTEN"),
        "$(POD_IP) expands only when defined earlier");
    assertEquals(5701, findByName(c.path("ports"), "cluster").path("containerPort").asInt());

    JsonNode headless = m.find("Service", "edge-swarmtee-headless").orElseThrow();
    assertEquals("None", headless.path("spec").path("clusterIP").asText());
    assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean());
    assertEquals(
        5701, findByName(headless.path("spec").path("ports"), "cluster").path("port").asInt());

    // The cluster port is open between the pods, in both directions, and to nobody else.
    JsonNode np = m.find("NetworkPolicy", "edge-swarmtee").orElseThrow();
    JsonNode selector = sts.path("spec").path("selector").path("matchLabels");
    JsonNode in = np.path("spec").path("ingress").get(1);
    assertEquals(5701, in.path("ports").get(0).path("port").asInt());
    assertEquals(selector, in.path("from").get(0).path("podSelector").path("matchLabels"));
    JsonNode egress = np.path("spec").path("egress");
    JsonNode out = egress.get(egress.size() - 1);
    assertEquals(5701, out.path("ports").get(0).path("port").asInt());
    assertEquals(selector, out.path("to").get(0).path("podSelector").path("matchLabels"));

    assertEquals(
        1,
        m.find("PodDisruptionBudget", "edge-swarmtee")
            .orElseThrow()
            .path("spec")
            .path("maxUnavailable")
            .asInt());
    // DNS discovery needs no Kubernetes API access: no RBAC, no service-account token.
    for (String kind : List.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")) {
      assertTrue(m.ofKind(kind).isEmpty(), kind);
    }
    m.find("ServiceAccount", "edge-swarmtee")
        .ifPresent(sa -> assertFalse(sa.path("automountServiceAccountToken").asBoolean(true)));
  }

  @Test
  void aSinglePodIsNoCluster() throws IOException {
    Manifests m = template(Map.of());
    JsonNode c =
        Manifests.container(m.find("StatefulSet", "edge-swarmtee").orElseThrow(), "swarmtee")
            .orElseThrow();
    List<String> names = c.path("env").findValuesAsText("name");
    assertFalse(names.stream().anyMatch(n -> n.startsWith("SWARMTEE_CLUSTER")), names.toString());
    assertEquals(List.of("http"), c.path("ports").findValuesAsText("name"));
    assertEquals(
        List.of("http"),
        m.find("Service", "edge-swarmtee-headless")
            .orElseThrow()
            .path("spec")
            .path("ports")
            .findValuesAsText("name"));
  }

  @Test
  void grafanaDashboardConfigMapIsLabelledAndEqualsTheCanonicalDashboard() throws IOException {
    Manifests m = template(Map.of("grafanaDashboard.enabled", true));
    JsonNode cm = m.find("ConfigMap", "edge-swarmtee-dashboard").orElseThrow();
    assertEquals("1", cm.path("metadata").path("labels").path("grafana_dashboard").asText());
    JsonNode shipped = Manifests.YAML.readTree(cm.path("data").path("swarmtee.json").asText());
    JsonNode canonical =
        Manifests.YAML.readTree(Path.of("..", "grafana", "swarmtee.json").toFile());
    assertEquals(canonical, shipped);
  }

  @Test
  void chartCopyOfTheDashboardIsByteIdenticalToTheCanonicalOne() throws IOException {
    assertEquals(
        Files.readString(Path.of("..", "grafana", "swarmtee.json")),
        Files.readString(CHART.resolve("files/swarmtee.json")),
        "helm/swarmtee/files/swarmtee.json differs from grafana/swarmtee.json: cp grafana/swarmtee.json helm/swarmtee/files/");
  }

  @Test
  void schemaRejectsBadValues() {
    List<Map<String, Object>> bad =
        List.of(
            Map.of("replicaCount", "two"),
            Map.of("postage.batch", "not-a-batch"),
            Map.of("swarmtee.upstream", "ftp://origin"),
            Map.of("swarmtee.spool.uploadConcurrency", 0),
            Map.of("postage.maxUtilization", 1.5),
            Map.of("wallet.ethAddress", "0x123"),
            Map.of("unknownKey", "x"),
            Map.of("service.type", "Headless"),
            Map.of("cluster.port", 70000),
            Map.of("cluster.name", "has space"));
    for (Map<String, Object> set : bad) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> template(set), set.toString());
      assertTrue(e.getMessage().contains("schema"), set + " → " + e.getMessage());
    }
  }

  @Test
  void refusesUnsafeCombinations() {
    var auto =
        assertThrows(IllegalStateException.class, () -> template(Map.of("postage.batch", "auto")));
    assertTrue(auto.getMessage().contains("wallet.existingSecret"), auto.getMessage());
    var bee =
        assertThrows(IllegalStateException.class, () -> template(Map.of("bee.enabled", true)));
    assertTrue(bee.getMessage().contains("wallet.existingSecret"), bee.getMessage());
    var np =
        assertThrows(
            IllegalStateException.class, () -> template(Map.of("networkPolicy.enabled", true)));
    assertTrue(np.getMessage().contains("upstreamPeers"), np.getMessage());
  }

  @Test
  void theKeyBuysOnChainAndStampsEveryChunk() throws IOException {
    Map<String, Object> set = new java.util.LinkedHashMap<>();
    set.put("wallet.existingSecret", "broadcaster-wallet");
    set.put("wallet.gnosisRpc", "http://chain.test:8545");
    set.put("wallet.postageBuyer", "chain");
    set.put("wallet.stamper", "local");
    set.put("wallet.postageStampAddress", "0x" + "ab".repeat(20));
    set.put("wallet.bzzTokenAddress", "0x" + "cd".repeat(20));
    set.put("wallet.chainConfirmations", 2);
    set.put("wallet.chainBlockSeconds", 1);
    ObjectNode env =
        Manifests.env(
            Manifests.container(
                    template(set).find("StatefulSet", "edge-swarmtee").orElseThrow(), "swarmtee")
                .orElseThrow());
    assertEquals("chain", env.path("SWARMTEE_POSTAGE_BUYER").path("value").asText());
    assertEquals("local", env.path("SWARMTEE_STAMPER").path("value").asText());
    assertEquals("http://chain.test:8545", env.path("SWARMTEE_GNOSIS_RPC").path("value").asText());
    assertEquals(
        "0x" + "ab".repeat(20), env.path("SWARMTEE_POSTAGE_STAMP_ADDRESS").path("value").asText());
    assertEquals(
        "0x" + "cd".repeat(20), env.path("SWARMTEE_BZZ_TOKEN_ADDRESS").path("value").asText());
    assertEquals("2", env.path("SWARMTEE_CHAIN_CONFIRMATIONS").path("value").asText());
    assertEquals("1", env.path("SWARMTEE_CHAIN_BLOCK_SECONDS").path("value").asText());
    assertEquals(
        "/etc/swarmtee/wallet/keystore.json", env.path("SWARMTEE_KEYSTORE").path("value").asText());

    var noKey =
        assertThrows(
            IllegalStateException.class, () -> template(Map.of("wallet.stamper", "local")));
    assertTrue(noKey.getMessage().contains("wallet.existingSecret"), noKey.getMessage());
    var noRpc =
        assertThrows(
            IllegalStateException.class,
            () -> template(Map.of("wallet.existingSecret", "w", "wallet.postageBuyer", "chain")));
    assertTrue(noRpc.getMessage().contains("wallet.gnosisRpc"), noRpc.getMessage());
    for (Map<String, Object> bad :
        List.<Map<String, Object>>of(
            Map.of("wallet.stamper", "node"),
            Map.of("wallet.postageBuyer", "gateway"),
            Map.of("wallet.bzzTokenAddress", "0x12"),
            Map.of("wallet.chainConfirmations", 0))) {
      var e = assertThrows(IllegalStateException.class, () -> template(bad), bad.toString());
      assertTrue(e.getMessage().contains("schema"), bad + " → " + e.getMessage());
    }
  }

  @Test
  void everyValuesKeyIsCommented() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()
          || line.strip().startsWith("#")
          || line.strip().startsWith("-")
          || !line.contains(":")) {
        continue;
      }
      boolean isBlockParent = line.strip().endsWith(":");
      boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
      boolean insideDefaultValue =
          indent(line) > 0 && !isBlockParent && !commented && parentIsCommentedValue(lines, i);
      assertTrue(
          commented || isBlockParent || insideDefaultValue,
          "values.yaml:" + (i + 1) + " has no comment: " + line);
    }
  }

  /**
   * Lines inside a commented key's default (e.g. resources.requests.cpu) are documented by that
   * key's comment.
   */
  private static boolean parentIsCommentedValue(List<String> lines, int i) {
    int indent = indent(lines.get(i));
    for (int j = i - 1; j >= 0; j--) {
      String l = lines.get(j);
      if (l.isBlank() || l.strip().startsWith("#")) {
        continue;
      }
      if (indent(l) < indent) {
        if (j > 0 && lines.get(j - 1).strip().startsWith("#")) {
          return true;
        }
        indent = indent(l);
        if (indent == 0) {
          return false;
        }
      }
    }
    return false;
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }

  private static JsonNode findByName(JsonNode array, String name) {
    for (JsonNode n : array) {
      if (name.equals(n.path("name").asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  private static JsonNode merge(ObjectNode base, JsonNode overlay) {
    overlay
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = base.get(e.getKey());
              if (existing instanceof ObjectNode obj && e.getValue().isObject()) {
                merge(obj, e.getValue());
              } else {
                base.set(e.getKey(), e.getValue());
              }
            });
    return base;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
