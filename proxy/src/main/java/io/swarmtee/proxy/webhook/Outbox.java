package io.swarmtee.proxy.webhook;

import io.swarmtee.tee.store.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliveries not done yet, one file each under {@code --data/webhooks}: written with {@link
 * AtomicFiles} (temporary file, {@code fsync}, rename, directory synced), so that a kill -9 or
 * power loss leaves either the old or the new version, never a torn one. A delivery's file is
 * deleted once it is done (delivered, refused, expired). The {@link Ledger} beside them remembers
 * which archive facts were queued. File I/O runs on worker threads, one operation at a time in call
 * order (whatever thread calls).
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final String SUFFIX = ".json";
  private static final String LEDGER = "ledger";

  private final Vertx vertx;
  private final Path dir;
  private Future<?> tail = Future.succeededFuture();
  private boolean closed;

  private Outbox(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /**
   * Opens (creating) the outbox directory.
   *
   * @return the outbox and every delivery it holds; unreadable files are renamed {@code .bad} and
   *     logged
   */
  static Future<Outbox> open(Vertx vertx, Path dir) {
    Outbox box = new Outbox(vertx, dir);
    return vertx.executeBlocking(
        () -> {
          Files.createDirectories(dir);
          return box;
        });
  }

  /**
   * @return the deliveries on disk (temporary files of an interrupted write are removed)
   */
  Future<List<Delivery>> load() {
    return serially(
        () -> {
          List<Delivery> out = new ArrayList<>();
          try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
              String name = f.getFileName().toString();
              if (name.endsWith(".tmp")) {
                Files.deleteIfExists(f);
              } else if (name.endsWith(SUFFIX)) {
                try {
                  out.add(
                      Delivery.fromJson(
                          new JsonObject(Files.readString(f, StandardCharsets.UTF_8))));
                } catch (DecodeException | IllegalArgumentException e) {
                  LOG.error("webhook outbox: unreadable {} kept as .bad: {}", f, e.getMessage());
                  Files.move(
                      f, f.resolveSibling(name + ".bad"), StandardCopyOption.REPLACE_EXISTING);
                }
              }
            }
          }
          return out;
        });
  }

  /**
   * @return completes once {@code d} is on stable storage
   */
  Future<Void> put(Delivery d) {
    return serially(
        () -> {
          AtomicFiles.write(
              dir.resolve(d.key() + SUFFIX), d.toJson().encode().getBytes(StandardCharsets.UTF_8));
          return null;
        });
  }

  /**
   * @return the ledger of queued facts, created if absent, rid of what is older than its retention
   */
  Future<Ledger> ledger(Instant now) {
    return serially(() -> Ledger.open(dir.resolve(LEDGER), now));
  }

  /**
   * Records that the events of {@code facts} are queued; call once their deliveries are {@link
   * #put} (the writes are done in call order).
   *
   * @return completes once the facts are on stable storage
   */
  Future<Void> queued(Collection<String> facts, Instant at) {
    if (facts.isEmpty()) {
      return Future.succeededFuture();
    }
    return serially(
        () -> {
          Ledger.append(dir.resolve(LEDGER), facts, at);
          return null;
        });
  }

  /**
   * @return completes once {@code d}'s file is gone
   */
  Future<Void> remove(Delivery d) {
    return serially(
        () -> {
          Files.deleteIfExists(dir.resolve(d.key() + SUFFIX));
          return null;
        });
  }

  /**
   * Refuses every later operation.
   *
   * @return completes once the operations asked for before are done, whatever their outcome: no
   *     file of this outbox is written after it
   */
  synchronized Future<Void> close() {
    closed = true;
    return tail.transform(ar -> Future.<Void>succeededFuture());
  }

  private synchronized <T> Future<T> serially(java.util.concurrent.Callable<T> op) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("webhook outbox " + dir + " is closed"));
    }
    Future<T> next = tail.transform(ar -> vertx.executeBlocking(op, false));
    tail = next;
    return next;
  }
}
