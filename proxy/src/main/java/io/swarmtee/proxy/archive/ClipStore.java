package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The clips published of each stream, one JSON array per stream in {@code {dir}/{id}.json} (under
 * {@code --data/clips}). A new list is written to a temporary file, flushed to disk, and moved over
 * the old one atomically, so a crash leaves the old list or the new one, never a torn one. Writes
 * of one stream are serialised. In a cluster each member keeps its copy of the shared list here.
 * {@link #inMemory()} keeps them in memory only (an archiver without {@code --data}, as in tests).
 */
final class ClipStore implements ClipList {

  private final Optional<FileSystem> fs;
  private final Path dir;
  private final Map<String, Future<JsonArray>> writes = new HashMap<>();
  private final Map<String, JsonArray> memory = new HashMap<>();

  private ClipStore(Optional<FileSystem> fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  static ClipStore inDirectory(Vertx vertx, Path dir) {
    return new ClipStore(Optional.of(vertx.fileSystem()), dir);
  }

  static ClipStore inMemory() {
    return new ClipStore(Optional.empty(), Path.of("clips"));
  }

  @Override
  public Future<JsonArray> list(String id) {
    if (fs.isEmpty()) {
      return Future.succeededFuture(memory.getOrDefault(id, new JsonArray()).copy());
    }
    FileSystem fs = this.fs.get();
    String file = file(id);
    return fs.exists(file)
        .compose(
            exists ->
                exists
                    ? fs.readFile(file).map(Buffer::toJsonArray)
                    : Future.succeededFuture(new JsonArray()));
  }

  @Override
  public Future<JsonArray> add(String id, JsonObject clip) {
    return write(
        id,
        clips -> {
          clips.add(clip);
          return clips;
        });
  }

  @Override
  public Future<Void> replace(String id, JsonArray clips) {
    return write(id, ignored -> clips.copy()).mapEmpty();
  }

  private Future<JsonArray> write(String id, UnaryOperator<JsonArray> change) {
    Future<JsonArray> previous = writes.getOrDefault(id, Future.succeededFuture());
    Future<JsonArray> next =
        previous
            .transform(ignored -> list(id))
            .compose(
                old -> {
                  JsonArray clips = change.apply(old);
                  if (this.fs.isEmpty()) {
                    memory.put(id, clips.copy());
                    return Future.succeededFuture(clips);
                  }
                  FileSystem fs = this.fs.get();
                  String tmp = file(id) + ".tmp";
                  return fs.mkdirs(dir.toString())
                      .compose(
                          v ->
                              fs.open(
                                  tmp,
                                  new OpenOptions()
                                      .setWrite(true)
                                      .setCreate(true)
                                      .setTruncateExisting(true)))
                      .compose(
                          f ->
                              f.write(clips.toBuffer())
                                  .compose(v -> f.flush())
                                  .eventually(f::close))
                      .compose(
                          v ->
                              fs.move(
                                  tmp,
                                  file(id),
                                  new CopyOptions().setAtomicMove(true).setReplaceExisting(true)))
                      .map(clips);
                });
    writes.put(id, next);
    next.onComplete(ar -> writes.remove(id, next));
    return next;
  }

  private String file(String id) {
    return dir.resolve(id + ".json").toString();
  }
}
