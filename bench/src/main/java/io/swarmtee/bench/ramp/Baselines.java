package io.swarmtee.bench.ramp;

import io.swarmtee.bench.StoreBench;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The same-run capacities a ramp's throughput is compared with, each on 2 MiB segments of random
 * bytes, measured while nothing else of the ramp runs: swarmtee's Swarm hashing ({@link
 * SwarmHasher}, one thread), a durable write (write, fsync, rename, fsync the directory: what the
 * spool does per segment), loopback HTTP (POST to a server that discards the body) and the store's
 * raw ingest ({@code POST /bytes} through {@link BeeClient} with as many uploads in flight as
 * swarmtee's pipeline).
 */
final class Baselines {

  static final int SEGMENT = 2 << 20;

  private Baselines() {}

  /** Capacities in MB/s (10⁶ bytes per second). */
  record Machine(double hashMBps, double diskMBps, double loopbackMBps) {}

  static Machine machine(Vertx vertx, Path dir) throws Exception {
    return new Machine(hashing(), disk(dir), loopback(vertx));
  }

  private static byte[] random(long seed) {
    byte[] b = new byte[SEGMENT];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** SwarmHasher over distinct 2 MiB segments for about a second, after a warm-up. */
  static double hashing() {
    byte[][] data = {random(1), random(2), random(3), random(4)};
    SwarmHasher.hash(data[0]);
    int n = 0;
    long t0 = System.nanoTime();
    long spent;
    do {
      SwarmReference ref = SwarmHasher.hash(data[n % data.length]);
      if (ref.bytes().length == 0) {
        throw new IllegalStateException("empty reference");
      }
      n++;
      spent = System.nanoTime() - t0;
    } while (spent < 1_000_000_000L || n < 4);
    return n * (double) SEGMENT / 1e3 / (spent / 1e6);
  }

  /** 16 durable writes of 2 MiB into {@code dir} (then deleted). */
  static double disk(Path dir) throws IOException {
    Files.createDirectories(dir);
    byte[] data = random(5);
    int n = 16;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      StoreBench.durableWrite(dir, i + ".seg", data);
    }
    double mbps = n * (double) SEGMENT / 1e3 / ((System.nanoTime() - t0) / 1e6);
    for (int i = 0; i < n; i++) {
      Files.delete(dir.resolve(i + ".seg"));
    }
    return mbps;
  }

  /** 48 POSTs of 2 MiB over loopback HTTP, 4 in flight, to a Vert.x server that drops the body. */
  static double loopback(Vertx vertx) throws Exception {
    HttpServer server =
        Backend.await(
            vertx
                .createHttpServer()
                .requestHandler(req -> req.handler(b -> {}).endHandler(v -> req.response().end()))
                .listen(0, "127.0.0.1"));
    HttpClient client =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(4));
    Buffer body = Buffer.buffer(random(6));
    RequestOptions post =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(server.actualPort())
            .setURI("/sink");
    try {
      IntFunction<Future<Void>> one =
          i ->
              client
                  .request(post)
                  .compose(req -> req.send(body))
                  .compose(resp -> resp.body())
                  .mapEmpty();
      Backend.await(lanes(4, 4, one)); // warm-up
      int n = 48;
      long t0 = System.nanoTime();
      Backend.await(lanes(n, 4, one));
      return n * (double) SEGMENT / 1e3 / ((System.nanoTime() - t0) / 1e6);
    } finally {
      Backend.await(client.close());
      Backend.await(server.close());
    }
  }

  /**
   * {@code count} uploads of distinct 2 MiB segments, {@code inFlight} at once, to the backend's
   * POST /bytes.
   */
  static double storeIngest(Vertx vertx, Backend backend, int count, int inFlight)
      throws Exception {
    BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(backend.url())
                .withDefaultBatchId(BatchId.parse(backend.batch()))
                .withUploadTimeout(Duration.ofMinutes(5)));
    try {
      List<Buffer> data = new ArrayList<>();
      for (int i = 0; i < count + 1; i++) {
        data.add(Buffer.buffer(random(1000 + i + System.nanoTime())));
      }
      Backend.await(client.uploadBytes(data.get(count), UploadOptions.DEFAULT)); // warm-up
      long t0 = System.nanoTime();
      Backend.await(
          lanes(
              count,
              inFlight,
              i -> client.uploadBytes(data.get(i), UploadOptions.DEFAULT).mapEmpty()));
      return count * (double) SEGMENT / 1e3 / ((System.nanoTime() - t0) / 1e6);
    } finally {
      client.close();
    }
  }

  /** Runs {@code task(0 … count-1)} with at most {@code inFlight} at once. */
  private static Future<Void> lanes(int count, int inFlight, IntFunction<Future<Void>> task) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> all = new ArrayList<>();
    for (int lane = 0; lane < Math.min(count, inFlight); lane++) {
      Promise<Void> done = Promise.promise();
      lane(next, count, task, done);
      all.add(done.future());
    }
    return Future.all(all).mapEmpty();
  }

  private static void lane(
      AtomicInteger next, int count, IntFunction<Future<Void>> task, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= count) {
      done.complete();
      return;
    }
    task.apply(i).onSuccess(v -> lane(next, count, task, done)).onFailure(done::fail);
  }
}
