package io.swarmtee.proxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * N real {@code swarmtee.jar} processes forming one cluster on loopback: each its own data
 * directory and log under {@code dir}, HTTP on a kernel-chosen port ({@code --listen 127.0.0.1:0},
 * read from its log), a cluster port chosen free before start (the members must know each other's
 * addresses up front: {@code --cluster-members} lists all of them), and a cluster name of its own
 * so that no other test's cluster on this machine can merge with it. Nodes can be killed (SIGKILL),
 * stopped (SIGTERM) and restarted on the same ports and data.
 *
 * <p>For failover tests: pass the flags every node shares (upstream, {@code --archive}, Bee …) to
 * {@link #start}; wait with {@link #awaitMembers} (polls {@code GET /api/cluster} with a deadline).
 */
public final class SwarmteeCluster implements AutoCloseable {

  /** One node: its process (null while down) and where it lives. */
  public static final class Node {
    private final int index;
    private final int clusterPort;
    private final Path data;
    private final Path log;
    private SwarmteeProcess process;
    private int httpPort;
    private boolean paused;

    private Node(int index, int clusterPort, Path data, Path log) {
      this.index = index;
      this.clusterPort = clusterPort;
      this.data = data;
      this.log = log;
    }

    /**
     * @return its position in the cluster, from 0
     */
    public int index() {
      return index;
    }

    /**
     * @return {@code 127.0.0.1:<cluster port>}
     */
    public String clusterAddress() {
      return "127.0.0.1:" + clusterPort;
    }

    /**
     * @return its HTTP port (changes on restart)
     */
    public int httpPort() {
      return httpPort;
    }

    /**
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI url() {
      return URI.create("http://127.0.0.1:" + httpPort);
    }

    /**
     * @return its {@code --data} directory (kept across restarts)
     */
    public Path data() {
      return data;
    }

    /**
     * @return its log file (appended across restarts)
     */
    public Path log() {
      return log;
    }

    /**
     * @return the running process
     * @throws IllegalStateException while the node is down
     */
    public SwarmteeProcess process() {
      if (process == null) {
        throw new IllegalStateException("node " + index + " is down");
      }
      return process;
    }

    /**
     * @return true while its process runs and is not paused
     */
    public boolean up() {
      return process != null && process.alive() && !paused;
    }
  }

  private final Path jar;
  private final List<String> jvmOptions;
  private final List<String> flags;
  private final String name = "it-" + UUID.randomUUID();
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SwarmteeCluster(Path jar, List<String> jvmOptions, List<String> flags) {
    this.jar = jar;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.flags = List.copyOf(flags);
  }

  /**
   * Starts {@code size} nodes at once and waits until each listens (not until they formed one
   * cluster: use {@link #awaitMembers}).
   *
   * @param jar {@code target/swarmtee.jar}
   * @param flags flags every node gets besides {@code --listen}, {@code --data} and the cluster
   *     flags
   * @param dir where the nodes' data directories and logs go
   */
  public static SwarmteeCluster start(
      Path jar, int size, List<String> jvmOptions, List<String> flags, Path dir) throws Exception {
    SwarmteeCluster c = new SwarmteeCluster(jar, jvmOptions, flags);
    try {
      for (int i = 0; i < size; i++) {
        Files.createDirectories(dir.resolve("node-" + i));
        c.nodes.add(
            new Node(
                i,
                LoopbackPorts.reserve(),
                dir.resolve("node-" + i).resolve("data"),
                dir.resolve("node-" + i + ".log")));
      }
      for (Node n : c.nodes) {
        c.launch(n);
      }
      for (Node n : c.nodes) {
        n.httpPort = n.process.port();
      }
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  /**
   * @return the nodes, in order
   */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * @return node {@code i}
   */
  public Node node(int i) {
    return nodes.get(i);
  }

  /**
   * @return the Hazelcast cluster name these nodes share
   */
  public String name() {
    return name;
  }

  /** Kills node {@code i} with SIGKILL: no shutdown hook, its leases are not released. */
  public void kill9(int i) throws InterruptedException {
    Node n = nodes.get(i);
    n.process().kill9();
    n.process = null;
  }

  /**
   * Stops node {@code i} with SIGTERM (clean shutdown: leases released at once).
   *
   * @return its exit code
   */
  public int stop(int i) throws InterruptedException {
    Node n = nodes.get(i);
    int code = n.process().stop();
    n.process = null;
    return code;
  }

  /**
   * Pauses node {@code i} with SIGSTOP: it neither answers nor renews anything, as in a long GC
   * pause or a frozen VM, until {@link #resume}. {@link #awaitMembers} skips it meanwhile.
   */
  public void pause(int i) throws IOException, InterruptedException {
    Node n = nodes.get(i);
    signal(n.process(), "STOP");
    n.paused = true;
  }

  /** Lets node {@code i} run again (SIGCONT). */
  public void resume(int i) throws IOException, InterruptedException {
    Node n = nodes.get(i);
    signal(n.process(), "CONT");
    n.paused = false;
  }

  private static void signal(SwarmteeProcess p, String signal)
      throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  /** Starts node {@code i} again on its cluster port and data directory; waits until it listens. */
  public Node restart(int i) throws Exception {
    Node n = nodes.get(i);
    if (n.up()) {
      throw new IllegalStateException("node " + i + " is still running");
    }
    launch(n);
    n.httpPort = n.process.port();
    return n;
  }

  private void launch(Node n) throws IOException {
    List<String> all = new ArrayList<>(flags);
    all.addAll(
        List.of(
            "--listen",
            "127.0.0.1:0",
            "--data",
            n.data.toString(),
            "--cluster-listen",
            n.clusterAddress(),
            "--cluster-members",
            nodes.stream().map(Node::clusterAddress).collect(Collectors.joining(",")),
            "--cluster-name",
            name));
    n.process = SwarmteeProcess.start(jar, jvmOptions, all, n.log);
  }

  /**
   * @return node {@code i}'s {@code GET /api/cluster}
   */
  public JsonObject describe(int i) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(nodes.get(i).url().resolve("/api/cluster"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /api/cluster on node " + i + ": " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  /**
   * @return the member ids node {@code i} lists
   */
  public Set<String> memberIds(int i) throws IOException, InterruptedException {
    return memberIds(describe(i));
  }

  /**
   * Polls every running node's {@code /api/cluster} until all list the same {@code expected}
   * members, each listing itself, or {@code timeout} passes.
   *
   * @return how long it took
   * @throws AssertionError on timeout, with what each node said last
   */
  public Duration awaitMembers(int expected, Duration timeout) throws InterruptedException {
    return awaitAll(
        "all running nodes agree on " + expected + " members",
        views -> views.stream().distinct().count() == 1 && views.get(0).size() == expected,
        timeout);
  }

  private Duration awaitAll(String what, Predicate<List<Set<String>>> done, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<String> last = new ArrayList<>();
    while (true) {
      List<Set<String>> views = new ArrayList<>();
      last.clear();
      boolean complete = true;
      for (Node n : nodes) {
        if (!n.up()) {
          continue;
        }
        try {
          JsonObject d = describe(n.index);
          Set<String> ids = memberIds(d);
          complete &= ids.contains(d.getString("self"));
          views.add(ids);
          last.add("node " + n.index + ": " + ids);
        } catch (IOException e) {
          complete = false;
          last.add("node " + n.index + ": " + e);
        }
      }
      if (complete && !views.isEmpty() && done.test(views)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what + "; last seen " + last);
      }
      Thread.sleep(100); // polling interval of a deadline-bounded wait
    }
  }

  private static Set<String> memberIds(JsonObject describe) {
    JsonArray members = describe.getJsonArray("members");
    Set<String> ids = new TreeSet<>();
    for (int k = 0; k < members.size(); k++) {
      ids.add(members.getJsonObject(k).getString("id"));
    }
    return ids;
  }

  /** Kills every node still running (SIGKILL ends a paused one too). */
  @Override
  public void close() {
    for (Node n : nodes) {
      if (n.process != null) {
        n.process.close();
        n.process = null;
      }
    }
  }
}
