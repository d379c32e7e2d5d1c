package io.swarmtee.tee.store;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeTag;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes trees of an {@link EmbeddedStore} to a Bee node chunk by chunk ({@code POST /chunks} with
 * a postage batch), so that every reference already written into playlists resolves on Swarm too.
 *
 * <p>Resumable: each confirmed chunk's address is appended to {@code <stateDir>/<root>.log} before
 * it counts as done; a finished tree gets {@code <root>.synced} and its log is deleted. A later run
 * skips finished trees without reading them and, within an unfinished tree, every chunk in its log.
 * A kill can lose at most the last log lines not yet written by the OS — those chunks are sent
 * again, which Bee accepts (content addressing makes a repeat harmless).
 *
 * <p>Trees are pushed one after another, the chunks of a tree with {@link
 * SyncOptions#concurrency()} uploads in flight; every chunk is verified (BMT) as it is read and the
 * address Bee answers must equal it. The first failure stops the run ({@link SyncException},
 * progress saved); the client does not retry, the operator runs the command again.
 */
public final class StoreSync {

  private static final Logger LOG = LoggerFactory.getLogger(StoreSync.class);

  private final Vertx vertx;
  private final EmbeddedStore store;
  private final Function<Buffer, Future<SwarmReference>> uploadChunk;
  private final SyncOptions options;

  StoreSync(
      Vertx vertx,
      EmbeddedStore store,
      Function<Buffer, Future<SwarmReference>> uploadChunk,
      SyncOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.uploadChunk = Objects.requireNonNull(uploadChunk, "uploadChunk");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Creates a sync from {@code store} to the node behind {@code bee}, stamping with the options'
   * batch.
   */
  public static StoreSync create(
      Vertx vertx, EmbeddedStore store, BeeClient bee, SyncOptions options) {
    UploadOptions upload = UploadOptions.DEFAULT.withBatchId(options.batch());
    // Bee stores a POST /chunks without a tag directly (waiting on the network, and bee dev refuses
    // it with
    // 400); with a tag it is a deferred upload like /bytes. One tag for the run, created on first
    // use
    // (again after a failed attempt).
    AtomicReference<Future<Long>> tag = new AtomicReference<>();
    Function<Buffer, Future<SwarmReference>> uploadChunk =
        wire -> {
          Future<Long> uid =
              tag.updateAndGet(t -> t == null || t.failed() ? bee.createTag().map(BeeTag::uid) : t);
          return uid.compose(u -> bee.uploadChunk(wire, upload.withTag(u)));
        };
    return new StoreSync(vertx, store, uploadChunk, options);
  }

  /** Pushes every tree in the store. */
  public Future<SyncReport> syncAll() {
    return store.roots().compose(this::sync);
  }

  /**
   * Pushes the given trees.
   *
   * @return counts once every chunk of every tree is confirmed; fails with {@link SyncException}
   */
  public Future<SyncReport> sync(List<SwarmReference> roots) {
    List<SwarmReference> todo = List.copyOf(roots);
    Counts counts = new Counts();
    Future<Void> chain =
        blocking(
            () -> {
              Files.createDirectories(options.stateDir());
              return null;
            });
    for (SwarmReference root : todo) {
      chain = chain.compose(ignored -> syncRoot(root, counts));
    }
    return chain.transform(
        done -> {
          SyncReport report =
              new SyncReport(todo.size(), counts.rootsSkipped, counts.sent.get(), counts.skipped);
          if (done.failed()) {
            return Future.failedFuture(
                new SyncException(
                    "sync stopped: " + done.cause().getMessage(), report, done.cause()));
          }
          LOG.info(
              "sync: {} trees ({} done before), {} chunks sent, {} skipped",
              report.roots(),
              report.rootsAlreadySynced(),
              report.chunksSent(),
              report.chunksSkipped());
          return Future.succeededFuture(report);
        });
  }

  private static final class Counts {
    int rootsSkipped;
    long skipped;
    final AtomicLong sent = new AtomicLong();
  }

  private Future<Void> syncRoot(SwarmReference root, Counts counts) {
    Path marker = options.stateDir().resolve(root.hex() + ".synced");
    Path log = options.stateDir().resolve(root.hex() + ".log");
    return blocking(() -> Files.exists(marker))
        .compose(
            synced -> {
              if (synced) {
                counts.rootsSkipped++;
                return Future.succeededFuture();
              }
              return store
                  .chunkAddresses(root)
                  .compose(
                      addresses ->
                          blocking(() -> readLog(log))
                              .compose(
                                  done -> {
                                    List<SwarmReference> pending =
                                        addresses.stream().filter(a -> !done.contains(a)).toList();
                                    counts.skipped += addresses.size() - pending.size();
                                    return blocking(
                                            () ->
                                                FileChannel.open(
                                                    log,
                                                    StandardOpenOption.CREATE,
                                                    StandardOpenOption.WRITE,
                                                    StandardOpenOption.APPEND))
                                        .compose(
                                            channel ->
                                                upload(root, pending, channel, counts)
                                                    .eventually(
                                                        () ->
                                                            blocking(
                                                                () -> {
                                                                  channel.force(true);
                                                                  channel.close();
                                                                  return null;
                                                                })));
                                  }))
                  .compose(
                      ignored ->
                          blocking(
                              () -> {
                                Path tmp = options.stateDir().resolve(root.hex() + ".synced.tmp");
                                Files.write(tmp, new byte[0]);
                                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
                                Files.deleteIfExists(log);
                                return null;
                              }));
            });
  }

  /** Uploads {@code pending} with bounded concurrency; stops starting new ones after a failure. */
  private Future<Void> upload(
      SwarmReference root, List<SwarmReference> pending, FileChannel log, Counts counts) {
    Iterator<SwarmReference> next = pending.iterator();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Promise<Void> finished = Promise.promise();
    int lanes = Math.max(1, Math.min(options.concurrency(), pending.size()));
    int[] running = {lanes};
    for (int lane = 0; lane < lanes; lane++) {
      lane(root, next, log, counts, failure)
          .onComplete(
              ignored -> {
                boolean last;
                synchronized (running) {
                  last = --running[0] == 0;
                }
                if (last) {
                  Throwable cause = failure.get();
                  if (cause == null) {
                    finished.complete();
                  } else {
                    finished.fail(cause);
                  }
                }
              });
    }
    return finished.future();
  }

  /** One of the concurrent workers: takes the next address, uploads it, records it, repeats. */
  private Future<Void> lane(
      SwarmReference root,
      Iterator<SwarmReference> next,
      FileChannel log,
      Counts counts,
      AtomicReference<Throwable> failure) {
    SwarmReference address;
    synchronized (next) {
      if (failure.get() != null || !next.hasNext()) {
        return Future.succeededFuture();
      }
      address = next.next();
    }
    return store
        .chunk(root, address)
        .compose(uploadChunk)
        .compose(
            answered ->
                answered.equals(address)
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "Bee stored chunk " + address + " under " + answered)))
        .compose(
            ignored ->
                blocking(
                    () -> {
                      ByteBuffer line =
                          ByteBuffer.wrap(
                              (address.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
                      synchronized (log) {
                        while (line.hasRemaining()) {
                          log.write(line);
                        }
                      }
                      return null;
                    }))
        .transform(
            done -> {
              if (done.failed()) {
                failure.compareAndSet(null, done.cause());
                return Future.succeededFuture();
              }
              counts.sent.incrementAndGet();
              return lane(root, next, log, counts, failure);
            });
  }

  /**
   * @return the addresses of complete lines (a torn last line, written during a kill, is ignored)
   */
  private static Set<SwarmReference> readLog(Path log) throws IOException {
    Set<SwarmReference> done = new HashSet<>();
    if (!Files.exists(log)) {
      return done;
    }
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (SwarmReference.isValid(line)) {
        done.add(SwarmReference.parse(line));
      }
    }
    return done;
  }

  private <T> Future<T> blocking(Callable<T> task) {
    return vertx.executeBlocking(task, false);
  }
}
