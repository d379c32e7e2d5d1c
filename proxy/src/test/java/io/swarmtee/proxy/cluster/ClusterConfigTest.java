package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Main;
import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.config.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {

  @TempDir Path tmp;

  private static ClusterConfig parse(Map<String, String> env, String... args)
      throws ConfigException {
    return ClusterConfig.from(ConfigParser.parse(List.of(args), env, Options.SERVER));
  }

  @Test
  void noFlagsNoCluster() throws ConfigException {
    ClusterConfig c = parse(Map.of());
    assertFalse(c.enabled());
    assertEquals(ClusterConfig.single(), c);
  }

  @Test
  void staticMembers() throws ConfigException {
    ClusterConfig c =
        parse(
            Map.of(),
            "--cluster-listen",
            "127.0.0.1:5701",
            "--cluster-members",
            "127.0.0.1:5701, 127.0.0.1:5702,[::1]:5703",
            "--cluster-name",
            "prod-eu");
    assertTrue(c.enabled());
    assertEquals(Optional.of(new HostPort("127.0.0.1", 5701)), c.listen());
    assertEquals(
        List.of(
            new HostPort("127.0.0.1", 5701),
            new HostPort("127.0.0.1", 5702),
            new HostPort("::1", 5703)),
        c.members());
    assertEquals("prod-eu", c.name());
    assertEquals(Optional.empty(), c.kubernetesService());
  }

  @Test
  void kubernetesFromEnvironmentAndYaml() throws Exception {
    ClusterConfig env =
        parse(
            Map.of(
                "SWARMTEE_CLUSTER_LISTEN", "0.0.0.0:5701",
                "SWARMTEE_CLUSTER_KUBERNETES_SERVICE", "live-swarmtee-cluster"));
    assertEquals(Optional.of("live-swarmtee-cluster"), env.kubernetesService());
    assertEquals("swarmtee", env.name());

    Path yaml = tmp.resolve("c.yaml");
    Files.writeString(
        yaml,
        "cluster-listen: localhost:5701\ncluster-members:\n  - 10.0.0.7:5701\n  - 10.0.0.8:5701\n");
    ClusterConfig file = parse(Map.of(), "--config", yaml.toString());
    assertEquals(2, file.members().size());
    assertEquals(Optional.of(new HostPort("localhost", 5701)), file.listen());
  }

  @Test
  void badValuesExitWithTwoAndOneLineNamingTheFlag() {
    String[][] cases = {
      {"--cluster-listen", "nope"},
      {"--cluster-listen", "203.0.113.7:5701", "--cluster-members", "203.0.113.7:5701"},
      {"--cluster-listen", "127.0.0.1:0", "--cluster-members", "127.0.0.1:5701"},
      {"--cluster-listen", "127.0.0.1:5701"},
      {"--cluster-members", "127.0.0.1:5701"},
      {"--cluster-listen", "127.0.0.1:5701", "--cluster-members", "0.0.0.0:5701"},
      {"--cluster-listen", "127.0.0.1:5701", "--cluster-members", "h:99999"},
      {"--cluster-listen", "127.0.0.1:5701", "--cluster-kubernetes-service", "Bad_Name"},
      {
        "--cluster-listen", "127.0.0.1:5701",
        "--cluster-members", "127.0.0.1:5701",
        "--cluster-kubernetes-service", "svc"
      },
      {"--cluster-listen", "127.0.0.1:5701", "--cluster-members", "a:1", "--cluster-name", "a b"},
    };
    for (String[] flags : cases) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      List<String> args = new ArrayList<>(List.of("--data", tmp.resolve("d").toString()));
      args.addAll(List.of(flags));
      int code =
          Main.run(
              args,
              Map.of(),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String e = err.toString(StandardCharsets.UTF_8);
      assertEquals(Main.BAD_CONFIG, code, String.join(" ", flags) + " → " + e);
      assertTrue(e.startsWith("swarmtee: --cluster-"), e);
      assertEquals(1, e.lines().count(), e);
    }
  }
}
