package io.swarmtee.tee.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's {@link StoreSync} against a real Bee: a local archive (segments and the
 * playlist whose entries are their {@code /bytes} references) is pushed chunk by chunk, after which
 * every reference in the playlist — and the playlist itself — resolves on Bee to the same bytes.
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreSyncBeeIT {

  private static final Pattern ENTRY = Pattern.compile("(?m)^/bytes/([0-9a-f]{64})\\?name=\\S+$");

  private Vertx vertx;
  private BeeClient bee;
  private BeeChainNode node;

  @BeforeAll
  void connect(BeeChainNode node) {
    this.node = node;
    vertx = Vertx.vertx();
    bee = BeeClient.create(vertx, BeeClientOptions.of(node.apiUrl().toString()));
  }

  @AfterAll
  void disconnect() {
    bee.close();
    await(vertx.close());
  }

  @Test
  void everyReferenceOfASyncedArchiveResolvesOnBee(@TempDir Path dir) {
    EmbeddedStore store = await(EmbeddedStore.open(vertx, dir.resolve("store")));
    Map<SwarmReference, byte[]> segments = new LinkedHashMap<>();
    StringBuilder playlist =
        new StringBuilder(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n" + "#EXT-X-PLAYLIST-TYPE:VOD\n");
    int[] sizes = {188 * 1000, 128 * 4096 + 1, 4096};
    for (int i = 0; i < sizes.length; i++) {
      byte[] segment = new byte[sizes[i]];
      new SplittableRandom(i).nextBytes(segment);
      SwarmReference ref = await(store.put(Buffer.buffer(segment)));
      segments.put(ref, segment);
      playlist
          .append("#EXTINF:2.000,\n/bytes/")
          .append(ref.hex())
          .append("?name=")
          .append(i)
          .append(".ts\n");
    }
    playlist.append("#EXT-X-ENDLIST\n");
    SwarmReference playlistRef = await(store.put(Buffer.buffer(playlist.toString())));
    BatchId batch = BatchId.parse(node.batchId());
    SyncOptions options = SyncOptions.forTarget(store, node.apiUrl(), batch);
    long chunks = 0;
    for (SwarmReference root : await(store.roots())) {
      chunks += await(store.chunkAddresses(root)).size();
    }

    SyncReport report = await(StoreSync.create(vertx, store, bee, options).syncAll());

    assertEquals(new SyncReport(sizes.length + 1, 0, chunks, 0), report);
    String fromBee = await(bee.downloadBytes(playlistRef)).toString();
    assertEquals(playlist.toString(), fromBee, "the playlist resolves on Bee");
    List<SwarmReference> entries = new ArrayList<>();
    Matcher m = ENTRY.matcher(fromBee);
    while (m.find()) {
      entries.add(SwarmReference.parse(m.group(1)));
    }
    assertEquals(List.copyOf(segments.keySet()), entries);
    for (SwarmReference ref : entries) {
      assertTrue(
          Arrays.equals(segments.get(ref), await(bee.downloadBytes(ref)).getBytes()),
          "segment " + ref + " resolves on Bee to its bytes");
    }

    SyncReport again = await(StoreSync.create(vertx, store, bee, options).syncAll());
    assertEquals(
        new SyncReport(sizes.length + 1, sizes.length + 1, 0, 0), again, "nothing is sent twice");
  }

  private static <T> T await(Future<T> future) {
    return Await.result(future, 120);
  }
}
