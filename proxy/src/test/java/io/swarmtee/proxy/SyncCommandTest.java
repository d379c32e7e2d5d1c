package io.swarmtee.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarmtee.jar sync}: what the embedded store holds resolves on Bee afterwards; a rerun
 * sends nothing.
 */
class SyncCommandTest {

  @Test
  void pushesTheEmbeddedStoreToBeeAndResumes(@TempDir Path data) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      FakeBee bee = FakeBee.start(vertx).await(30, TimeUnit.SECONDS);
      BatchId batch = bee.createBatch(20, true);
      List<SwarmReference> refs = new ArrayList<>();
      List<byte[]> contents = new ArrayList<>();
      EmbeddedStore store =
          EmbeddedStore.open(vertx, data.resolve("store")).await(10, TimeUnit.SECONDS);
      Random random = new Random(3);
      for (int size : new int[] {0, 4096, 4097, 4096 * 128 + 1, 700_000}) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        contents.add(bytes);
        refs.add(store.put(Buffer.buffer(bytes)).await(30, TimeUnit.SECONDS));
      }

      List<String> args =
          List.of(
              "sync", "--data", data.toString(), "--bee", bee.baseUrl(), "--batch", batch.hex());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Main.run(
              args,
              Map.of(),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
      assertTrue(
          out.toString(StandardCharsets.UTF_8).startsWith("synced " + refs.size() + " trees"),
          out.toString(StandardCharsets.UTF_8));
      for (int i = 0; i < refs.size(); i++) {
        assertArrayEquals(
            contents.get(i), bee.swarm().join(refs.get(i)).orElseThrow(), "tree " + i + " on Bee");
      }
      int chunkUploads = bee.calls("POST /chunks");
      assertTrue(chunkUploads > 0);

      ByteArrayOutputStream again = new ByteArrayOutputStream();
      assertEquals(
          0,
          Main.run(
              args,
              Map.of(),
              new PrintStream(again, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8)));
      assertEquals(chunkUploads, bee.calls("POST /chunks"), "a second run sends nothing");
      assertTrue(
          again.toString(StandardCharsets.UTF_8).contains(refs.size() + " already there"),
          again.toString(StandardCharsets.UTF_8));
      bee.assertSpecConformant();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void needsBeeAndAWellFormedBatch(@TempDir Path data) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(List.of("sync", "--data", data.toString()), Map.of(), o, e));
    assertEquals(
        2,
        Main.run(
            List.of(
                "sync", "--data", data.toString(), "--bee", "http://127.0.0.1:9", "--batch", "xyz"),
            Map.of(),
            o,
            e));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--batch"),
        err.toString(StandardCharsets.UTF_8));
  }
}
