package io.swarmtee.wallet;

import io.swarmtee.tee.store.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A small JSON state file in the data directory, read once and rewritten whole with {@link
 * AtomicFiles#write} on Vert.x worker threads. Writes never overtake each other: each one snapshots
 * the state when its turn comes, so the last write always holds the latest state.
 */
public final class StateFile {

  private final Vertx vertx;
  private final Path file;
  private Future<Void> lastWrite = Future.succeededFuture();

  public StateFile(Vertx vertx, Path file) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * @return the file
   */
  public Path path() {
    return file;
  }

  /**
   * Reads the file, creating its directory if needed.
   *
   * @return empty if the file does not exist; fails if it exists but is not a JSON object
   */
  public Future<Optional<JsonObject>> read() {
    return vertx.executeBlocking(
        () -> {
          if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Optional.empty();
          }
          return Optional.of(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
        });
  }

  /**
   * Writes {@code snapshot.get()} after every write already queued.
   *
   * @param snapshot called on the writing turn (any thread) for the state to write; must be
   *     thread-safe
   */
  public synchronized Future<Void> write(Supplier<JsonObject> snapshot) {
    Future<Void> write =
        lastWrite.transform(
            ignored -> {
              byte[] bytes = snapshot.get().encodePrettily().getBytes(StandardCharsets.UTF_8);
              return vertx.<Void>executeBlocking(
                  () -> {
                    AtomicFiles.write(file, bytes);
                    return null;
                  });
            });
    lastWrite = write;
    return write;
  }
}
