package io.swarmtee.bench;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.SwarmteeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The failover gap of a 3-member cluster: a live stream (one segment per target duration, 1 s)
 * archived with the embedded store; the owner is killed with SIGKILL, and the gap is the time from
 * the kill to the first segment the archive gains while another member owns the stream. The killed
 * member is started again and the cluster agrees on 3 members before the next kill.
 *
 * <pre>
 * java -cp swarmtee-bench.jar io.swarmtee.bench.FailoverBench JAR WORKDIR KILLS
 * </pre>
 *
 * Prints one line per kill and {@code RESULT <kills> <target ms> <p50 ms> <p99 ms> <max ms>}.
 */
public final class FailoverBench {

  private static final String ID = "failover";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FailoverBench JAR WORKDIR KILLS");
      System.exit(2);
    }
    try {
      new FailoverBench().run(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1); // Vert.x's threads would keep the JVM alive
    }
    System.exit(0);
  }

  private void run(Path jar, Path work, int kills) throws Exception {
    Vertx vertx = Vertx.vertx();
    HlsRecording recording = HlsRecording.generate(work.resolve("hls"), 12);
    LivepeerOrigin origin = LivepeerOrigin.start(vertx).await(30, TimeUnit.SECONDS);
    LivepeerOrigin.OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
    long targetMs = (long) Math.ceil(recording.segments("source").get(0).duration() - 1e-6) * 1000;
    // A live origin: the next segment every target duration, the recording played in a loop.
    int[] next = {0};
    vertx.setPeriodic(0, targetMs, t -> stream.publish(recording, next[0]++ % recording.size()));
    List<String> flags = List.of("--upstream", origin.url(), "--archive", "--end-after", "100");
    List<Long> gaps = new ArrayList<>();
    try (SwarmteeCluster cluster =
        SwarmteeCluster.start(
            jar, 3, List.of(), flags, Files.createDirectories(work.resolve("cluster")))) {
      // The script stops this driver with SIGTERM when it is interrupted: no member left behind.
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
      cluster.awaitMembers(3, Duration.ofSeconds(60));
      for (int k = 1; k <= kills; k++) {
        // A viewer's request tells the members of the stream; wait until one archives it.
        int owner = awaitOwner(cluster, Optional.empty());
        // The archive is moving, and the owner's count (fresh: it writes it) just before the kill.
        awaitArchivedAbove(cluster, archived(cluster), 30_000);
        long before = archived(cluster);
        long killed = System.nanoTime();
        cluster.kill9(owner);
        awaitArchivedAbove(cluster, before, 60_000);
        // Counted only once another member holds the lease: the dead one cannot archive.
        int newOwner = awaitOwner(cluster, Optional.of(owner));
        long gap = (System.nanoTime() - killed) / 1_000_000;
        gaps.add(gap);
        System.out.printf(
            Locale.ROOT,
            "kill %d: member %d killed, member %d archived the next segment after %d ms%n",
            k,
            owner,
            newOwner,
            gap);
        cluster.restart(owner);
        cluster.awaitMembers(3, Duration.ofSeconds(60));
      }
    }
    List<Long> sorted = gaps.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "RESULT %d %d %d %d %d%n",
        sorted.size(),
        targetMs,
        percentile(sorted, 50),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1));
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** The member holding the stream's lease, other than {@code not}, polled for up to 60 s. */
  private int awaitOwner(SwarmteeCluster cluster, Optional<Integer> not) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (SwarmteeCluster.Node n : cluster.nodes()) {
        if (!n.up()) {
          continue;
        }
        // A viewer's request: how a member hears of a stream.
        get(n, "/stream/" + ID + ".m3u8");
        JsonObject view = cluster.describe(n.index());
        String ownerId = view.getJsonObject("owners").getString(ID);
        if (ownerId == null) {
          continue;
        }
        for (SwarmteeCluster.Node m : cluster.nodes()) {
          if (m.up()
              && !not.equals(Optional.of(m.index()))
              && cluster.describe(m.index()).getString("self").equals(ownerId)) {
            return m.index();
          }
        }
      }
      Thread.sleep(20); // poll interval
    }
    throw new IllegalStateException("no member owns stream " + ID);
  }

  private long awaitArchivedAbove(SwarmteeCluster cluster, long n, long timeoutMs)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      long a = archived(cluster);
      if (a > n) {
        return a;
      }
      Thread.sleep(20); // poll interval
    }
    throw new IllegalStateException("the archive never held more than " + n + " segments");
  }

  /**
   * A viewer on every member up (it polls the media playlist, as players do: how the members keep
   * hearing of the stream) and what each counts archived.
   *
   * @return the most segments any member up counts archived (non-owners read the shared journal at
   *     most once a second; the owner's count is current)
   */
  private long archived(SwarmteeCluster cluster) throws Exception {
    long most = 0;
    for (SwarmteeCluster.Node n : cluster.nodes()) {
      if (n.up()) {
        get(n, "/stream/" + ID + "/source.m3u8");
        HttpResponse<String> r = get(n, "/api/archives/" + ID);
        if (r.statusCode() == 200) {
          most =
              Math.max(
                  most, new JsonObject(r.body()).getJsonObject("segments").getLong("archived"));
        }
      }
    }
    return most;
  }

  private HttpResponse<String> get(SwarmteeCluster.Node n, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(n.url().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
