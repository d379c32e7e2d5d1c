package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.archive.Ffmpeg;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.proxy.testing.SwarmteeCluster;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.wallet.Keystores;
import io.swarmtee.wallet.feed.Feeds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three {@code swarmtee.jar} processes as one cluster in front of the go-livepeer-like origin, one
 * live stream of two renditions, viewers on every member. The member that archives the stream is
 * killed with SIGKILL in the middle: a survivor takes the stream over and continues the same
 * archive from the shared journal. The archive is complete (every segment once, no gap, no
 * discontinuity, one session), finalised, byte-identical from both survivors and in Bee, and plays
 * in ffmpeg from Bee alone; the killed member, started again, rejoins and serves the same archive.
 */
@ExtendWith(VertxExtension.class)
@Timeout(240)
class ClusterArchiveIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterArchiveIT.class);

  private static final String ID = "c1";
  private static final int SEGMENTS = 12;

  /** How many segments the test may publish ahead of what the archive holds. */
  private static final int WINDOW_LEAD = 4;

  private static final Pattern SEGMENT =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);
  private static final Pattern VARIANT =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<byte[]> get(SwarmteeCluster.Node node, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(node.url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private String text(SwarmteeCluster.Node node, String path) throws Exception {
    HttpResponse<byte[]> r = get(node, path);
    assertEquals(200, r.statusCode(), path + " on node " + node.index());
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** False: once a member owns the stream, its viewers go to the other members only. */
  private boolean viewersOnOwner = true;

  /** A viewer on every member that is up: the master, each media playlist, the newest segment. */
  private void watch(SwarmteeCluster cluster, long seq) throws Exception {
    Optional<Integer> skip = viewersOnOwner ? Optional.empty() : owner(cluster);
    for (SwarmteeCluster.Node n : cluster.nodes()) {
      if (!n.up() || skip.equals(Optional.of(n.index()))) {
        continue;
      }
      get(n, "/stream/" + ID + ".m3u8");
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        get(n, "/stream/" + ID + "/" + r.name() + ".m3u8");
        get(n, "/stream/" + ID + "/" + r.name() + "/" + seq + ".ts");
      }
    }
  }

  private void play(SwarmteeCluster cluster, OriginStream s, HlsRecording rec, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      // A live origin publishes a segment per target duration and keeps 6 in its window; the test
      // publishes as fast as it likes, so it never gets more than 4 ahead of the archive (an
      // archiver taking a stream over must still find every segment it has not got listed).
      if (i >= WINDOW_LEAD) {
        awaitArchived(cluster, 2L * (i - WINDOW_LEAD));
      }
      Future<Void> served = s.served(i);
      s.publish(rec, i);
      watch(cluster, i);
      await(served);
    }
  }

  /**
   * The member that holds the stream's lease, as every member that is up agrees; empty while a
   * member does not answer (its lease table waits for a paused member until the cluster removes it,
   * and {@code /api/cluster} answers 503 meanwhile).
   */
  private Optional<Integer> owner(SwarmteeCluster cluster) throws Exception {
    try {
      return ownerNow(cluster);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private Optional<Integer> ownerNow(SwarmteeCluster cluster) throws Exception {
    Optional<String> ownerId = Optional.empty();
    for (SwarmteeCluster.Node n : cluster.nodes()) {
      if (n.up()) {
        ownerId =
            Optional.ofNullable(cluster.describe(n.index()).getJsonObject("owners").getString(ID));
        break;
      }
    }
    if (ownerId.isEmpty()) {
      return Optional.empty();
    }
    for (SwarmteeCluster.Node n : cluster.nodes()) {
      if (n.up() && cluster.describe(n.index()).getString("self").equals(ownerId.get())) {
        return Optional.of(n.index());
      }
    }
    return Optional.empty();
  }

  private int awaitOwner(SwarmteeCluster cluster, Optional<Integer> not) throws Exception {
    return Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> owner(cluster).filter(o -> !Optional.of(o).equals(not)),
        () -> "a member took stream " + ID + " (other than " + not + ")");
  }

  /**
   * What happens to the cluster while the stream is live; returns the member that ends up owning.
   */
  @FunctionalInterface
  private interface Disruption {
    int apply(Vertx vertx, SwarmteeCluster cluster, OriginStream stream, HlsRecording recording)
        throws Exception;
  }

  @Test
  void theOwnerKilledMidStreamLosesNothingAndDuplicatesNothing(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    run(
        vertx,
        tmp,
        (v, cluster, stream, recording) -> {
          play(cluster, stream, recording, 0, 4);
          int first = awaitOwner(cluster, Optional.empty());
          // SIGKILL: no release; a survivor takes the stream once the lease expired.
          cluster.kill9(first);
          int second = awaitOwner(cluster, Optional.of(first));
          play(cluster, stream, recording, 4, SEGMENTS);
          awaitArchived(cluster.node(second), 2L * SEGMENTS);
          return second;
        },
        // The killed member rejoins and serves the same archive.
        (v, cluster, stream, recording) -> {
          int down =
              cluster.nodes().stream().filter(n -> !n.up()).findFirst().orElseThrow().index();
          cluster.restart(down);
          cluster.awaitMembers(3, Duration.ofSeconds(60));
          return down;
        });
  }

  @Test
  void aPausedOwnerIsFencedAndCorruptsNothing(Vertx vertx, @TempDir Path tmp) throws Exception {
    run(
        vertx,
        tmp,
        (v, cluster, stream, recording) -> {
          play(cluster, stream, recording, 0, 4);
          int first = awaitOwner(cluster, Optional.empty());
          // SIGSTOP past its lease: another member takes the stream while the owner sleeps...
          cluster.pause(first);
          int second = awaitOwner(cluster, Optional.of(first));
          play(cluster, stream, recording, 4, 8);
          // ...and wakes up with a stale lease: its writes are refused, it stops archiving.
          cluster.resume(first);
          cluster.awaitMembers(3, Duration.ofSeconds(60));
          String log = Files.readString(cluster.node(first).log());
          assertTrue(log.contains("stream c1: lease of epoch 1 lost"), "the woken owner let go");
          play(cluster, stream, recording, 8, SEGMENTS);
          awaitArchived(cluster.node(second), 2L * SEGMENTS);
          return second;
        },
        (v, cluster, stream, recording) -> 0);
  }

  @Test
  void aRollingRestartOfEveryMemberLosesNothing(Vertx vertx, @TempDir Path tmp) throws Exception {
    run(
        vertx,
        tmp,
        (v, cluster, stream, recording) -> {
          play(cluster, stream, recording, 0, 3);
          int next = 3;
          for (int i = 0; i < 3; i++) {
            // SIGTERM: a clean stop hands the member's streams over at once.
            assertEquals(143, cluster.stop(i), "node " + i + " stopped cleanly");
            play(cluster, stream, recording, next, next + 2);
            next += 2;
            cluster.restart(i);
            cluster.awaitMembers(3, Duration.ofSeconds(60));
            play(cluster, stream, recording, next, next + 1);
            next += 1;
          }
          int owner = awaitOwner(cluster, Optional.empty());
          awaitArchived(cluster.node(owner), 2L * SEGMENTS);
          return owner;
        },
        (v, cluster, stream, recording) -> 0);
  }

  @Test
  void theOwnerWithoutViewersArchivesWhatTheOtherMembersViewersFetched(
      Vertx vertx, @TempDir Path tmp) throws Exception {
    viewersOnOwner = false;
    run(
        vertx,
        tmp,
        (v, cluster, stream, recording) -> {
          play(cluster, stream, recording, 0, 1);
          int owner = awaitOwner(cluster, Optional.empty());
          play(cluster, stream, recording, 1, SEGMENTS);
          awaitArchived(cluster.node(owner), 2L * SEGMENTS);
          return owner;
        },
        (v, cluster, stream, recording) -> 0);
  }

  @Test
  void everyMemberServesWhatTheOwnersEmbeddedStoreHolds(Vertx vertx) throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), SEGMENTS);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
    // No --bee: the owner stores the segments in its embedded store, and only there.
    List<String> flags = List.of("--upstream", origin.url(), "--archive", "--end-after", "100");
    try (SwarmteeCluster cluster =
        SwarmteeCluster.start(Path.of("target", "swarmtee.jar"), 3, List.of(), flags, fresh())) {
      cluster.awaitMembers(3, Duration.ofSeconds(60));
      play(cluster, stream, recording, 0, 6);
      awaitArchived(cluster, 2L * 6);
      int owner = awaitOwner(cluster, Optional.empty());
      String media = text(cluster.node(owner), "/archive/" + ID + "/source.m3u8");
      List<MatchResult> entries = SEGMENT.matcher(media).results().toList();
      assertTrue(entries.size() >= 6, media);
      for (SwarmteeCluster.Node n : cluster.nodes()) {
        if (n.index() == owner) {
          continue;
        }
        for (MatchResult e : entries) {
          byte[] expected =
              recording.segments("source").get(Integer.parseInt(e.group(2))).bytes().getBytes();
          HttpResponse<byte[]> whole = get(n, e.group());
          assertEquals(200, whole.statusCode(), "node " + n.index() + " " + e.group());
          assertArrayEquals(expected, whole.body(), "node " + n.index() + " " + e.group());
          HttpResponse<byte[]> part =
              http.send(
                  HttpRequest.newBuilder(n.url().resolve(e.group()))
                      .header("Range", "bytes=100-5099")
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          assertEquals(206, part.statusCode());
          assertArrayEquals(java.util.Arrays.copyOfRange(expected, 100, 5100), part.body());
        }
        assertEquals(404, get(n, "/bytes/" + "00".repeat(32)).statusCode(), "unknown anywhere");
      }
      LOG.info(
          "{} references archived by member {} served byte-identical by the other two",
          entries.size(),
          owner);
      stream.end();
    }
  }

  /**
   * Three members, one live stream of {@link #SEGMENTS} segments and two renditions, viewers on
   * every member, {@code during} while it is live; then the stream ends and the archive must be
   * complete, once, in order, final, the same on every member up and in Bee, playable in ffmpeg
   * from Bee alone; then {@code after}, and every member up serves the same archive still.
   */
  private void run(Vertx vertx, Path tmp, Disruption during, Disruption after) throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), SEGMENTS);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    TestBee bee = await(TestBee.start(vertx));
    OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
    // The test publishes a segment when it wants to, and waits seconds for members to leave or
    // rejoin meanwhile: no stalled upstream should end the stream, only its 404 (stream.end()).
    // One identity for the cluster: the owner of the stream writes its feed.
    Path pw = Files.writeString(tmp.resolve("pw"), "cluster-it");
    Keystores.create(tmp.resolve("ks"), pw, Keystores.Strength.LIGHT);
    List<String> flags =
        List.of(
            "--keystore",
            tmp.resolve("ks").toString(),
            "--password-file",
            pw.toString(),
            "--upstream",
            origin.url(),
            "--archive",
            "--bee",
            bee.url(),
            "--batch",
            TestBee.BATCH,
            "--end-after",
            "100");
    try (SwarmteeCluster cluster =
        SwarmteeCluster.start(Path.of("target", "swarmtee.jar"), 3, List.of(), flags, fresh())) {
      cluster.awaitMembers(3, Duration.ofSeconds(60));
      // Viewers fetched every segment already; the stream ends once the archive has them too
      // (go-livepeer keeps a stream's playlists for longer than a poll after its last segment).
      int owner = during.apply(vertx, cluster, stream, recording);
      Future<SwarmReference> master = bee.whenFile(f -> bee.finalMaster(f, 2));
      stream.end();
      SwarmReference masterRef = await(master);

      List<SwarmteeCluster.Node> up =
          cluster.nodes().stream().filter(SwarmteeCluster.Node::up).toList();
      awaitFinalised(up);
      JsonObject api = new JsonObject(text(cluster.node(owner), "/api/archives/" + ID));
      String why =
          api.encodePrettily()
              + "\n"
              + text(cluster.node(owner), "/archive/" + ID + "/source.m3u8")
              + "\n"
              + text(cluster.node(owner), "/archive/" + ID + "/P144p25fps16x9.m3u8");
      assertEquals("finalised", api.getString("state"), why);
      assertEquals(1, api.getJsonArray("sessions").size(), why);
      assertEquals(0, api.getInteger("discontinuities"), why);
      assertEquals(0, api.getJsonObject("segments").getLong("lost"), why);
      assertEquals(2L * SEGMENTS, api.getJsonObject("segments").getLong("archived"), why);

      Matcher variants =
          VARIANT.matcher(bee.file(masterRef).orElseThrow().toString(StandardCharsets.UTF_8));
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        assertTrue(variants.find());
        String media =
            bee.file(SwarmReference.parse(variants.group(1)))
                .orElseThrow()
                .toString(StandardCharsets.UTF_8);
        assertFalse(media.contains("#EXT-X-GAP"), media);
        assertFalse(media.contains("#EXT-X-DISCONTINUITY"), media);
        assertTrue(media.contains("#EXT-X-ENDLIST"), media);
        List<MatchResult> entries = SEGMENT.matcher(media).results().toList();
        assertEquals(SEGMENTS, entries.size(), media);
        for (int i = 0; i < SEGMENTS; i++) {
          assertEquals(String.valueOf(i), entries.get(i).group(2), media);
          Buffer bytes = bee.bytes(SwarmReference.parse(entries.get(i).group(1))).orElseThrow();
          assertArrayEquals(
              recording.segments(r.name()).get(i).bytes().getBytes(), bytes.getBytes());
        }
        for (SwarmteeCluster.Node n : up) {
          assertEquals(
              media,
              text(n, "/archive/" + ID + "/" + r.name() + ".m3u8"),
              "node " + n.index() + " serves the Swarm copy of " + r.name());
        }
      }
      String index = text(up.get(0), "/archive/" + ID + "/index.m3u8");
      for (SwarmteeCluster.Node n : up) {
        assertEquals(index, text(n, "/archive/" + ID + "/index.m3u8"), "node " + n.index());
      }

      // The feed: one update per index, indices 0, 1, 2, … with none written twice or skipped,
      // across the owners; the last points at the final master.
      List<TestBee.Soc> updates = awaitFeedAt(bee, masterRef);
      byte[] topic = Feeds.topic(ID);
      for (int i = 0; i < updates.size(); i++) {
        assertEquals(
            HexFormat.of().formatHex(Feeds.identifier(topic, i)),
            updates.get(i).identifier(),
            "feed update " + i + " of " + updates.size());
      }
      LOG.info("feed updates written: {}, indices 0..{}", updates.size(), updates.size() - 1);

      // Upstream load: every member's shield fetches a segment once for its viewers, and the
      // archiving adds no fetch of its own (the owner's archiver shares its shield's fetch).
      long most = 0;
      long total = 0;
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        for (int i = 0; i < SEGMENTS; i++) {
          long n = origin.segmentRequests("/stream/" + ID + "/" + r.name() + "/" + i + ".ts");
          most = Math.max(most, n);
          total += n;
        }
      }
      LOG.info(
          "upstream fetches per segment with 3 members, viewers on {}: max {}, mean {}",
          viewersOnOwner ? "every member up" : "the members that do not own the stream",
          most,
          total / (2.0 * SEGMENTS));
      assertTrue(most <= 3, "at most one upstream fetch per member and segment: " + most);

      Ffmpeg.Run run =
          Ffmpeg.remux(bee.url() + "/bzz/" + masterRef.hex() + "/", tmp.resolve("c1.ts"));
      assertEquals(0, run.exit(), run.output());
      assertEquals(recording.duration(), Ffmpeg.duration(tmp.resolve("c1.ts")), 0.5);

      after.apply(vertx, cluster, stream, recording);
      for (SwarmteeCluster.Node n : cluster.nodes()) {
        if (n.up()) {
          assertEquals(index, text(n, "/archive/" + ID + "/index.m3u8"), "node " + n.index());
          for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
            assertEquals(
                text(cluster.node(owner), "/archive/" + ID + "/" + r.name() + ".m3u8"),
                text(n, "/archive/" + ID + "/" + r.name() + ".m3u8"),
                "node " + n.index());
          }
        }
      }
    }
  }

  /** The members' data and logs, under target/: kept for a failure's post-mortem. */
  private static Path fresh() throws IOException {
    Path dir = Path.of("target", "cluster-archive-it");
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return dir;
  }

  /**
   * Polls the first member up (bounded by a deadline) until the archive counts at least {@code n}
   * segments archived.
   */
  private void awaitArchived(SwarmteeCluster cluster, long n) throws Exception {
    awaitArchive(
        () -> cluster.nodes().stream().filter(SwarmteeCluster.Node::up).findFirst().orElseThrow(),
        archived -> archived >= n,
        "at least " + n + " segments archived");
  }

  /** Polls {@code node} (bounded by a deadline) until the archive counts {@code n} segments. */
  private void awaitArchived(SwarmteeCluster.Node node, long n) throws Exception {
    awaitArchive(() -> node, archived -> archived == n, n + " segments archived");
  }

  private void awaitArchive(
      Supplier<SwarmteeCluster.Node> node, LongPredicate archived, String what) throws Exception {
    String[] last = {""};
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          HttpResponse<byte[]> r = get(node.get(), "/api/archives/" + ID);
          last[0] = new String(r.body(), StandardCharsets.UTF_8);
          return r.statusCode() == 200
              && archived.test(
                  new JsonObject(last[0]).getJsonObject("segments").getLong("archived"));
        },
        () -> what + "; last: " + last[0]);
  }

  /**
   * Polls Bee (bounded by a deadline) until the stream's feed points at {@code master}.
   *
   * @return the feed updates Bee received, in order
   */
  private List<TestBee.Soc> awaitFeedAt(TestBee bee, SwarmReference master) throws Exception {
    return Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          List<TestBee.Soc> socs = bee.socs();
          if (socs.isEmpty()) {
            return Optional.empty();
          }
          Buffer last = socs.get(socs.size() - 1).body();
          // span (8) ‖ timestamp (8) ‖ reference (32)
          return last.length() == 48
                  && java.util.Arrays.equals(last.getBytes(16, 48), master.bytes())
              ? Optional.of(socs)
              : Optional.empty();
        },
        () -> "the feed points at the final master; got " + bee.socs());
  }

  /** Polls every member (bounded by a deadline) until each serves the archive as finalised. */
  private void awaitFinalised(List<SwarmteeCluster.Node> nodes) throws Exception {
    String[] last = {""};
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          boolean all = true;
          for (SwarmteeCluster.Node n : nodes) {
            HttpResponse<byte[]> r = get(n, "/api/archives/" + ID);
            last[0] = new String(r.body(), StandardCharsets.UTF_8);
            all &=
                r.statusCode() == 200
                    && last[0].contains("\"masterFinal\":true")
                    && last[0].contains("\"state\":\"finalised\"");
          }
          return all;
        },
        () -> "every member serves the finalised archive; last: " + last[0]);
  }
}
