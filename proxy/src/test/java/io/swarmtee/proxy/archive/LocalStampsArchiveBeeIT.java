package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.it.BeeChainNoBatchExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.Keystores;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.chain.ChainPostage;
import io.swarmtee.wallet.chain.OnChainBatch;
import io.swarmtee.wallet.feed.Feeds;
import io.swarmtee.wallet.feed.LocalManifest;
import io.swarmtee.wallet.feed.SingleOwnerChunk;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity, end to end through the jar: a production-mode Bee that owns no batch at all ({@code
 * bee-chain.sh start … --no-batch}); a keystore made as {@code wallet new} does, funded on the
 * local chain; swarmtee.jar with {@code --postage-buyer chain --batch auto --stamper local} buys
 * the batch with that key and stamps every chunk of a live ffmpeg stream (two renditions) itself.
 * Once the archive is final, every playlist is read from Bee's {@code /bzz/{ref}/} (each one a
 * single-file manifest built and stamped locally, as Bee's {@code POST /bzz} would build it) and
 * every segment from Bee's {@code /bytes/{ref}}, equal to what swarmtee serves and what the origin
 * published. The stream's feed update, stamped by the key too, is read back from Bee ({@code GET
 * /chunks/{soc address}}) and points at the final master; its manifest, built and stamped locally,
 * is the one Bee would build, and Bee's {@code /bzz/{manifest}/} resolves it to the latest update
 * ({@code swarm-feed-index}). After swarmtee stopped, ffmpeg remuxes the full duration from Bee
 * alone, from {@code {bee}/bzz/{master}/} and from {@code {bee}/bzz/{feed manifest}/}, as with
 * Bee-side stamps. The batch's on-chain owner is the keystore's address, and the node's {@code
 * /stamps} lists no batch.
 */
@ExtendWith(BeeChainNoBatchExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalStampsArchiveBeeIT {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStampsArchiveBeeIT.class);

  private static final String ID = "local1";
  private static final int SECONDS = 6;
  private static final Pattern MEDIA_URI =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static final Pattern FILENAME = Pattern.compile("inline; filename=\"(\\S+)\\.m3u8\"");
  private static final Pattern SEGMENT_URI =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=\\S+\\.ts$", Pattern.MULTILINE);

  @Test
  void aStreamStampedWithTheKeystoresKeyPlaysFromABeeThatOwnsNoBatch(
      BeeChainNode node, @TempDir Path tmp) throws Exception {
    assertEquals("", node.batchId(), "the fixture node must own no batch");
    Path pw = Files.writeString(tmp.resolve("pw"), "correct horse battery staple");
    Keystores.Created key = Keystores.create(tmp.resolve("ks"), pw, Keystores.Strength.LIGHT);
    node.fund(key.address(), 10, 100);
    String token = node.chain("BZZ_ADDRESS").orElseThrow();
    String stampContract = node.chain("POSTAGE_ADDRESS").orElseThrow();
    String beeUrl = node.apiUrl().toString();

    HlsRecording recording =
        HlsRecording.generate(Path.of("target", "hls-fixture-" + SECONDS + "s"), SECONDS);
    assertEquals(SECONDS, recording.size());
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    BeeClient bee = BeeClient.create(vertx, BeeClientOptions.of(beeUrl));
    try {
      LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
      OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
      Path log = Path.of("target", "local-stamps-archive-swarmtee.log");
      Files.deleteIfExists(log);
      List<String> flags =
          SwarmteeProcess.flags(origin.url(), tmp.resolve("data"))
              .archiveTo(beeUrl, "auto")
              .and(
                  "--batch-depth", "20",
                  "--batch-ttl", "24h",
                  "--batch-min-ttl", "1h",
                  "--max-spend", "5xBZZ",
                  "--stamper", "local")
              .chainBuyer(node, tmp.resolve("ks"), pw)
              .list();
      Path jar = Path.of("target", "swarmtee.jar");
      String master;
      String feedManifest;
      BatchId batch;
      JsonObject archive;
      try (SwarmteeProcess swarmtee = SwarmteeProcess.start(jar, flags, log)) {
        int port = swarmtee.port();
        // --batch auto buys with the key on the first refresh; wait until Bee took the batch.
        JsonObject postage =
            poll(
                vertx,
                web,
                port,
                "/api/postage",
                j -> j.getString("currentBatch") != null,
                "a usable batch");
        batch = BatchId.parse(postage.getString("currentBatch"));

        stream.publish(recording, 0);
        assertEquals(
            200, await(web.get(port, "127.0.0.1", "/stream/" + ID + ".m3u8").send()).statusCode());
        await(stream.publishFollowed(recording, 1, SECONDS));
        stream.end();
        archive =
            poll(
                vertx,
                web,
                port,
                "/api/archives/" + ID,
                j -> Boolean.TRUE.equals(j.getBoolean("masterFinal")),
                "the final master");
        assertEquals("finalised", archive.getString("state"), archive.encodePrettily());
        assertEquals(
            HlsRecording.RENDITIONS.size() * (long) SECONDS,
            archive.getJsonObject("segments").getLong("archived"),
            archive.encodePrettily());
        master = archive.getString("master");
        assertEquals(
            "/bzz/" + master + "/", archive.getString("masterPath"), archive.encodePrettily());

        // Every playlist, read from Bee's /bzz (a manifest the node owns no batch for), and every
        // segment, read from Bee, equals what swarmtee serves.
        String swarmMaster = fromBzz(web, beeUrl, master, "index.m3u8");
        List<MatchResult> variants = MEDIA_URI.matcher(swarmMaster).results().toList();
        assertEquals(HlsRecording.RENDITIONS.size(), variants.size(), swarmMaster);
        int segments = 0;
        for (MatchResult variant : variants) {
          String rendition = renditionOf(web, beeUrl, variant.group(1));
          String media = fromBzz(web, beeUrl, variant.group(1), rendition + ".m3u8");
          assertTrue(
              media.contains("#EXT-X-PLAYLIST-TYPE:VOD") && media.endsWith("#EXT-X-ENDLIST\n"),
              media);
          List<MatchResult> refs = SEGMENT_URI.matcher(media).results().toList();
          assertEquals(SECONDS, refs.size(), media);
          for (int i = 0; i < SECONDS; i++) {
            assertArrayEquals(
                recording.segments(rendition).get(i).bytes().getBytes(),
                sameOnBeeAndSwarmtee(web, beeUrl, port, refs.get(i).group(1)).getBytes(),
                rendition + " segment " + i + " from Bee");
            segments++;
          }
        }
        LOG.info("{} segments and {} playlists read back from Bee", segments, 1 + variants.size());

        // The stream's feed points at the final master: its update (POST /soc) carried a stamp
        // signed by the key, and Bee serves the SOC at keccak(identifier ‖ owner). Its manifest
        // was built locally and its chunks stamped by the key too (POST /feeds would need a batch
        // the node owns).
        JsonObject feed =
            poll(
                    vertx,
                    web,
                    port,
                    "/api/archives/" + ID,
                    j ->
                        feedPointsAt(web, beeUrl, j, key.address(), master)
                            && j.getJsonObject("feedManifest").getString("manifest") != null,
                    "a feed update pointing at the final master, and its manifest")
                .getJsonObject("feedManifest");
        String topic = HexFormat.of().formatHex(Feeds.topic(ID));
        LocalManifest local = LocalManifest.sequence(key.address(), topic);
        assertEquals(local.reference().hex(), feed.getString("manifest"), feed.encode());
        feedManifest = feed.getString("manifest");
        for (LocalManifest.Chunk chunk : local.chunks()) {
          HttpResponse<Buffer> got =
              await(web.getAbs(beeUrl + "/chunks/" + chunk.address().hex()).send());
          assertEquals(200, got.statusCode(), chunk.address() + " on Bee");
          assertArrayEquals(chunk.wire(), got.body().getBytes(), chunk.address() + " on Bee");
        }
        feedManifestResolves(
            vertx, web, beeUrl, feed.getString("manifest"), feed.getLong("nextIndex") - 1);
        LOG.info("feed of {} at index {} points at the master", ID, feed.getLong("nextIndex") - 1);
      }
      await(origin.close());

      // swarmtee and the origin are gone: ffmpeg reads the archive from Bee alone, by the master's
      // manifest and by the feed's.
      for (String entry : List.of(master, feedManifest)) {
        Path out = tmp.resolve("from-bee-" + entry + ".ts");
        Ffmpeg.Run run = Ffmpeg.remux(beeUrl + "/bzz/" + entry + "/", out);
        assertEquals(0, run.exit(), run.output());
        assertEquals("", run.output().strip(), "ffmpeg reported errors");
        double duration = Ffmpeg.duration(out);
        LOG.info(
            "remuxed {} s from Bee alone, /bzz/{}/ (recorded {} s)",
            duration,
            entry,
            recording.duration());
        assertEquals(recording.duration(), duration, 0.5, "full duration remuxed from Bee");
      }

      // One identity: the key bought the batch, the node owns none.
      Identity identity = Identity.load(tmp.resolve("ks"), Optional.empty(), pw);
      try (ChainPostage chain =
          ChainPostage.create(
              vertx,
              node.rpcUrl().toString(),
              identity,
              new ChainContracts(token, stampContract))) {
        OnChainBatch onChain = await(chain.batch(batch));
        LOG.info(
            "batch {} owned on chain by {} (keystore {})", batch, onChain.owner(), key.address());
        assertEquals(
            key.address().toLowerCase(Locale.ROOT), onChain.owner().toLowerCase(Locale.ROOT));
        assertEquals(20, onChain.depth());
      }
      assertEquals(List.of(), await(bee.stamps()), "the node owns no batch");
    } finally {
      bee.close();
      vertx.close().await();
    }
  }

  /** {@code GET /bytes/{ref}} from Bee and from swarmtee: both 200, the same bytes. */
  /**
   * @return the playlist Bee's {@code /bzz/{manifest}/} serves, checked to be the file {@code name}
   *     as an HLS playlist
   */
  private static String fromBzz(WebClient web, String beeUrl, String manifest, String name)
      throws Exception {
    HttpResponse<Buffer> r = await(web.getAbs(beeUrl + "/bzz/" + manifest + "/").send());
    assertEquals(200, r.statusCode(), manifest + " on Bee's /bzz: " + r.bodyAsString());
    assertEquals("application/vnd.apple.mpegurl", r.getHeader("Content-Type"), manifest);
    assertEquals("inline; filename=\"" + name + "\"", r.getHeader("Content-Disposition"), manifest);
    return r.bodyAsString();
  }

  /**
   * @return the rendition whose playlist the manifest holds, from the file name Bee serves it as
   */
  private static String renditionOf(WebClient web, String beeUrl, String manifest)
      throws Exception {
    HttpResponse<Buffer> r = await(web.headAbs(beeUrl + "/bzz/" + manifest + "/").send());
    Matcher m = FILENAME.matcher(String.valueOf(r.getHeader("Content-Disposition")));
    assertTrue(m.matches(), manifest + ": " + r.headers());
    return m.group(1);
  }

  private static Buffer sameOnBeeAndSwarmtee(WebClient web, String beeUrl, int port, String ref)
      throws Exception {
    HttpResponse<Buffer> fromBee = await(web.getAbs(beeUrl + "/bytes/" + ref).send());
    assertEquals(200, fromBee.statusCode(), ref + " on Bee: " + fromBee.bodyAsString());
    HttpResponse<Buffer> fromSwarmtee = await(web.get(port, "127.0.0.1", "/bytes/" + ref).send());
    assertEquals(200, fromSwarmtee.statusCode(), ref + " on swarmtee");
    assertArrayEquals(
        fromSwarmtee.body().getBytes(), fromBee.body().getBytes(), ref + ": Bee vs swarmtee");
    return fromBee.body();
  }

  /**
   * @return whether the archive's feed has an update whose SOC, read from Bee's {@code
   *     /chunks/{address}}, carries {@code master} (v1 payload: timestamp ‖ reference, last)
   */
  private static boolean feedPointsAt(
      WebClient web, String beeUrl, JsonObject archive, String owner, String master) {
    JsonObject feed = archive.getJsonObject("feedManifest");
    if (feed == null || feed.getLong("nextIndex", 0L) == 0) {
      return false;
    }
    SwarmReference address =
        SingleOwnerChunk.address(
            Feeds.identifier(Feeds.topic(ID), feed.getLong("nextIndex") - 1),
            HexFormat.of().parseHex(owner.substring(2)));
    try {
      HttpResponse<Buffer> soc = await(web.getAbs(beeUrl + "/chunks/" + address.hex()).send());
      byte[] body = soc.body() == null ? new byte[0] : soc.body().getBytes();
      return soc.statusCode() == 200
          && body.length >= 32
          && HexFormat.of()
              .formatHex(Arrays.copyOfRange(body, body.length - 32, body.length))
              .equals(master);
    } catch (Exception e) {
      throw new AssertionError("GET /chunks/" + address + " from Bee failed", e);
    }
  }

  private static JsonObject poll(
      Vertx vertx, WebClient web, int port, String path, Predicate<JsonObject> done, String what)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(150);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", path).send());
      last = r.bodyAsString();
      if (r.statusCode() == 200 && done.test(r.bodyAsJsonObject())) {
        return r.bodyAsJsonObject();
      }
      vertx.timer(200).await(5, TimeUnit.SECONDS);
    }
    return fail("no " + what + " at " + path + "; last answer: " + last);
  }

  /**
   * Polls {@code GET {bee}/bzz/{manifest}/} until Bee reads it as a feed manifest and resolves the
   * feed to update {@code index} ({@code swarm-feed-index}, v1 payload). Bee then tries the master
   * as a manifest; it is a /bytes playlist, so the answer is a 404 carrying those headers.
   */
  private static void feedManifestResolves(
      Vertx vertx, WebClient web, String beeUrl, String manifest, long index) throws Exception {
    String want = String.format(Locale.ROOT, "%016x", index);
    Instant deadline = Instant.now().plusSeconds(120);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> r = await(web.getAbs(beeUrl + "/bzz/" + manifest + "/").send());
      last = r.statusCode() + " " + r.headers() + " " + r.bodyAsString();
      if (want.equals(r.getHeader("swarm-feed-index"))) {
        assertEquals("v1", r.getHeader("swarm-feed-resolved-version"), last);
        LOG.info("Bee resolved feed manifest {} to update {}", manifest, index);
        return;
      }
      vertx.timer(500).await(5, TimeUnit.SECONDS);
    }
    fail("Bee did not resolve feed manifest " + manifest + " to update " + index + ": " + last);
  }
}
