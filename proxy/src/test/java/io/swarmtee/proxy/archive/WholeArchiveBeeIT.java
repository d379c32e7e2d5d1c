package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.it.OnContext;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.feed.BeeFeedApi;
import io.swarmtee.wallet.feed.FeedWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

/**
 * The whole archive on a real Bee: swarmtee's archiver follows a live stream of real ffmpeg HLS
 * (two renditions) from a go-livepeer-like origin and archives it into a production-mode Bee (a
 * full node on a local chain, its batch bought on the chain); once the stream ended and the archive
 * is final, swarmtee and the origin are stopped, and ffmpeg remuxes the full duration from Bee
 * alone ({@code ffmpeg -i {bee}/bzz/{master}/ -c copy}), every segment byte-identical — then again
 * through the stream's feed manifest, after a v1 feed update signed by the broadcaster identity
 * ({@code /bzz/{feed manifest}/}).
 */
@ExtendWith(BeeChainExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WholeArchiveBeeIT {

  /** The broadcaster's identity that signs the stream's feed (a fixed key: a stable owner). */
  private static final Identity BROADCASTER =
      Identity.fromKeyPair(
          ECKeyPair.create(
              new BigInteger(
                  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16)));

  private static final int SECONDS = 6;
  private static final Pattern BZZ_URI =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static final Pattern SEGMENT_URI =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);

  @Test
  void ffmpegRemuxesTheFullStreamFromBeeAloneAfterSwarmteeStopped(
      BeeChainNode node, @TempDir Path data) throws Exception {
    HlsRecording recording =
        HlsRecording.generate(Path.of("target", "hls-fixture-" + SECONDS + "s"), SECONDS);
    assertEquals(SECONDS, recording.size());
    Vertx vertx = Vertx.vertx();
    BeeClient bee =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(node.apiUrl().toString())
                .withDefaultBatchId(BatchId.parse(node.batchId()))
                .withUploadTimeout(Duration.ofSeconds(60)));
    try {
      LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
      HttpClient upstream = vertx.createHttpClient();
      ArchiveSettings settings =
          ArchiveSettings.defaults(URI.create(origin.url())).withPoll(Duration.ofMillis(50));
      FileArchiveStateStore store =
          await(FileArchiveStateStore.open(vertx, data.resolve("archive")));
      Archiver archiver =
          Archiver.create(
              vertx,
              settings,
              UpstreamFetcher.direct(upstream, Duration.ofSeconds(5)),
              new BeeArchiveSink(
                  bee,
                  Scheduler.of(vertx.getOrCreateContext()),
                  Duration.ofMillis(100),
                  Duration.ofSeconds(2)),
              store,
              new SimpleMeterRegistry(),
              Clock.systemUTC());
      await(archiver.open());

      OriginStream stream = origin.stream("live1", HlsRecording.RENDITIONS);
      await(archiver.start("live1"));
      for (int i = 0; i < SECONDS; i++) {
        Future<Void> polled = stream.mediaPolled();
        Future<Void> served = stream.served(stream.published());
        stream.publish(recording, i);
        await(Future.all(polled, served));
      }
      Future<Void> finalised = archiver.nextFinalisation("live1");
      stream.end();
      await(finalised);
      JsonObject archive = await(archiver.describe("live1")).orElseThrow();
      assertEquals("finalised", archive.getString("state"), archive.encodePrettily());
      assertEquals(
          2L * SECONDS,
          archive.getJsonObject("segments").getLong("archived"),
          archive.encodePrettily());
      assertTrue(archive.getBoolean("masterFinal"), archive.encodePrettily());
      String master = archive.getString("master");

      // swarmtee and the origin stop: from here on only Bee serves the archive.
      await(archiver.close());
      await(store.close());
      await(origin.close());
      await(upstream.close());

      io.vertx.core.Context context = vertx.getOrCreateContext();
      String swarmMaster =
          OnContext.await(
                  context,
                  () ->
                      bee.getBzz(SwarmReference.parse(master), "", java.util.Optional.empty())
                          .compose(d -> d.bodyBuffer()),
                  60)
              .toString();
      List<MatchResult> variants = BZZ_URI.matcher(swarmMaster).results().toList();
      assertEquals(HlsRecording.RENDITIONS.size(), variants.size(), swarmMaster);
      for (int v = 0; v < variants.size(); v++) {
        SwarmReference mediaRef = SwarmReference.parse(variants.get(v).group(1));
        String media =
            OnContext.await(
                    context,
                    () ->
                        bee.getBzz(mediaRef, "", java.util.Optional.empty())
                            .compose(d -> d.bodyBuffer()),
                    60)
                .toString();
        assertTrue(
            media.contains("#EXT-X-PLAYLIST-TYPE:VOD") && media.endsWith("#EXT-X-ENDLIST\n"),
            media);
        List<MatchResult> segments = SEGMENT_URI.matcher(media).results().toList();
        assertEquals(SECONDS, segments.size(), media);
        String rendition = renditionOf(swarmMaster, variants.get(v).group());
        for (int i = 0; i < SECONDS; i++) {
          assertArrayEquals(
              recording.segments(rendition).get(i).bytes().getBytes(),
              await(bee.downloadBytes(SwarmReference.parse(segments.get(i).group(1)))).getBytes(),
              rendition + " segment " + i + " from Bee");
        }
      }

      Path out = data.resolve("out.ts");
      Ffmpeg.Run run = Ffmpeg.remux(node.apiUrl() + "/bzz/" + master + "/", out);
      assertEquals(0, run.exit(), run.output());
      assertEquals("", run.output().strip(), "ffmpeg reported errors");
      assertEquals(
          recording.duration(), Ffmpeg.duration(out), 0.5, "full duration remuxed from Bee");

      // The stream's stable name: a v1 feed update signed by the broadcaster identity, stored with
      // POST /soc (bee dev answers 501), makes /bzz/{feed manifest}/ the archive master.
      FeedWriter feeds =
          await(
              FeedWriter.create(
                  vertx,
                  BROADCASTER,
                  BeeFeedApi.over(bee),
                  () -> Future.succeededFuture(BatchId.parse(node.batchId())),
                  data.resolve("feeds"),
                  Clock.systemUTC()));
      SwarmReference feedManifest = await(feeds.feedManifest("live1"));
      assertEquals(0, await(feeds.update("live1", SwarmReference.parse(master))).index());
      Path viaFeed = data.resolve("via-feed.ts");
      Ffmpeg.Run named = Ffmpeg.remux(node.apiUrl() + "/bzz/" + feedManifest.hex() + "/", viaFeed);
      assertEquals(0, named.exit(), named.output());
      assertEquals("", named.output().strip(), "ffmpeg reported errors");
      assertEquals(
          recording.duration(),
          Ffmpeg.duration(viaFeed),
          0.5,
          "full duration remuxed through the feed manifest");
    } finally {
      bee.close();
      await(vertx.close());
    }
  }

  /**
   * The rendition a master entry belongs to: the name in the preceding #EXT-X-STREAM-INF or the
   * URI's order.
   */
  private static String renditionOf(String master, String uriLine) {
    int at = master.indexOf(uriLine);
    String before = master.substring(0, at);
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      int inf = before.lastIndexOf("#EXT-X-STREAM-INF");
      if (inf >= 0 && before.substring(inf).contains("RESOLUTION=" + r.resolution())) {
        return r.name();
      }
    }
    throw new AssertionError("no rendition for " + uriLine + " in\n" + master);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }
}
