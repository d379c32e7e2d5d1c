package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.archive.Ffmpeg;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.SwarmteeCluster;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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

  private static final String ID = "c1";
  private static final int SEGMENTS = 12;
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

  /** A viewer on every member that is up: the master, each media playlist, the newest segment. */
  private void watch(SwarmteeCluster cluster, long seq) throws Exception {
    for (SwarmteeCluster.Node n : cluster.nodes()) {
      if (!n.up()) {
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
      Future<Void> served = s.served(i);
      s.publish(rec, i);
      watch(cluster, i);
      await(served);
    }
  }

  /** The member that holds the stream's lease, as every member that is up agrees. */
  private Optional<Integer> owner(SwarmteeCluster cluster) throws Exception {
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

  private int awaitOwner(Vertx vertx, SwarmteeCluster cluster, Optional<Integer> not)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      Optional<Integer> o = owner(cluster);
      if (o.isPresent() && !o.equals(not)) {
        return o.get();
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("no member took stream " + ID + " (other than " + not + ")");
  }

  private static boolean finalMaster(TestBee bee, TestBee.File f) {
    if (!f.name().equals("index.m3u8")) {
      return false;
    }
    Matcher m = VARIANT.matcher(f.body().toString(StandardCharsets.UTF_8));
    int variants = 0;
    while (m.find()) {
      variants++;
      boolean ended =
          bee.file(SwarmReference.parse(m.group(1)))
              .map(b -> b.toString(StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST"))
              .orElse(false);
      if (!ended) {
        return false;
      }
    }
    return variants == 2;
  }

  @Test
  void theOwnerKilledMidStreamLosesNothingAndDuplicatesNothing(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), SEGMENTS);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    TestBee bee = await(TestBee.start(vertx));
    OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
    List<String> flags =
        List.of(
            "--upstream", origin.url(), "--archive", "--bee", bee.url(), "--batch", TestBee.BATCH);
    try (SwarmteeCluster cluster =
        SwarmteeCluster.start(Path.of("target", "swarmtee.jar"), 3, List.of(), flags, fresh())) {
      cluster.awaitMembers(3, Duration.ofSeconds(60));
      play(cluster, stream, recording, 0, 4);
      int first = awaitOwner(vertx, cluster, Optional.empty());

      // SIGKILL: no release; a survivor takes the stream once the lease expired.
      cluster.kill9(first);
      int second = awaitOwner(vertx, cluster, Optional.of(first));
      play(cluster, stream, recording, 4, SEGMENTS);

      // Viewers fetched every segment already; the stream ends once the archive has them too
      // (go-livepeer keeps a stream's playlists for longer than a poll after its last segment).
      awaitArchived(vertx, cluster.node(second), 2L * SEGMENTS);
      Future<SwarmReference> master = bee.whenFile(f -> finalMaster(bee, f));
      stream.end();
      SwarmReference masterRef = await(master);

      // Every member up serves the same archive, byte for byte.
      List<SwarmteeCluster.Node> up =
          cluster.nodes().stream().filter(SwarmteeCluster.Node::up).toList();
      assertEquals(2, up.size());
      awaitFinalised(vertx, up);
      String index = text(up.get(0), "/archive/" + ID + "/index.m3u8");
      assertEquals(index, text(up.get(1), "/archive/" + ID + "/index.m3u8"));
      JsonObject api = new JsonObject(text(cluster.node(second), "/api/archives/" + ID));
      String why =
          api.encodePrettily()
              + "\n"
              + text(cluster.node(second), "/archive/" + ID + "/source.m3u8")
              + "\n"
              + text(cluster.node(second), "/archive/" + ID + "/P144p25fps16x9.m3u8");
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

      Ffmpeg.Run run =
          Ffmpeg.remux(bee.url() + "/bzz/" + masterRef.hex() + "/", tmp.resolve("c1.ts"));
      assertEquals(0, run.exit(), run.output());
      assertEquals(recording.duration(), Ffmpeg.duration(tmp.resolve("c1.ts")), 0.5);

      // The killed member rejoins and serves the same archive.
      cluster.restart(first);
      cluster.awaitMembers(3, Duration.ofSeconds(60));
      assertEquals(index, text(cluster.node(first), "/archive/" + ID + "/index.m3u8"));
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        assertEquals(
            text(cluster.node(second), "/archive/" + ID + "/" + r.name() + ".m3u8"),
            text(cluster.node(first), "/archive/" + ID + "/" + r.name() + ".m3u8"));
      }
    }
  }

  /** The members' data and logs, under target/: kept for a failure's post-mortem. */
  private static Path fresh() throws java.io.IOException {
    Path dir = Path.of("target", "cluster-archive-it");
    if (java.nio.file.Files.exists(dir)) {
      try (var walk = java.nio.file.Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
    return dir;
  }

  /** Polls {@code node} (bounded by a deadline) until the archive counts {@code n} segments. */
  private void awaitArchived(Vertx vertx, SwarmteeCluster.Node node, long n) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<byte[]> r = get(node, "/api/archives/" + ID);
      last = new String(r.body(), StandardCharsets.UTF_8);
      if (r.statusCode() == 200
          && new JsonObject(last).getJsonObject("segments").getLong("archived") == n) {
        return;
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("never " + n + " segments archived; last: " + last);
  }

  /** Polls every member (bounded by a deadline) until each serves the archive as finalised. */
  private void awaitFinalised(Vertx vertx, List<SwarmteeCluster.Node> nodes) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      boolean all = true;
      for (SwarmteeCluster.Node n : nodes) {
        HttpResponse<byte[]> r = get(n, "/api/archives/" + ID);
        last = new String(r.body(), StandardCharsets.UTF_8);
        all &=
            r.statusCode() == 200
                && last.contains("\"masterFinal\":true")
                && last.contains("\"state\":\"finalised\"");
      }
      if (all) {
        return;
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("not every member serves the finalised archive; last: " + last);
  }
}
