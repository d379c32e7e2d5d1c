package io.swarmtee.proxy.archive;

import io.swarmtee.tee.store.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ArchiveStateStore} on local files: {@code <dir>/<streamId>.journal}, one JSON event per
 * line, appended and {@code fsync}ed before the append's future completes. A torn last line (crash
 * mid-append) is cut off on load; {@link #replace} writes a temporary file, syncs it and renames it
 * over the journal. File I/O runs on worker threads; appends to one stream are chained so they land
 * in call order.
 */
public final class FileArchiveStateStore implements ArchiveStateStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileArchiveStateStore.class);
  private static final String SUFFIX = ".journal";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Vertx vertx;
  private final Path dir;
  private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();
  private final Map<String, FileChannel> channels = new ConcurrentHashMap<>();
  private boolean closed;

  private FileArchiveStateStore(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /**
   * @param dir directory of the journals (created if missing)
   * @return the store, or a failed future if {@code dir} cannot be created or written
   */
  public static Future<FileArchiveStateStore> open(Vertx vertx, Path dir) {
    FileArchiveStateStore store = create(vertx, dir);
    return store.init().map(store);
  }

  /**
   * @return a store on {@code dir} that does nothing on disk before {@link #init()}
   */
  public static FileArchiveStateStore create(Vertx vertx, Path dir) {
    return new FileArchiveStateStore(vertx, dir);
  }

  /**
   * Creates the directory if missing; @return a failed future if it cannot be created or written
   */
  public Future<Void> init() {
    return vertx.executeBlocking(
        () -> {
          Files.createDirectories(dir);
          if (!Files.isWritable(dir)) {
            throw new IOException("archive state directory is not writable: " + dir);
          }
          return null;
        });
  }

  /**
   * @return true if {@code id} can name a stream (letters, digits, {@code . _ -}, at most 128)
   */
  public static boolean isSafeId(String id) {
    return id != null && SAFE_ID.matcher(id).matches();
  }

  private Path journal(String streamId) {
    if (!isSafeId(streamId)) {
      throw new IllegalArgumentException("not a valid stream id: " + streamId);
    }
    return dir.resolve(streamId + SUFFIX);
  }

  @Override
  public Future<List<String>> streams() {
    return vertx.executeBlocking(
        () -> {
          try (Stream<Path> files = Files.list(dir)) {
            return files
                .map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(SUFFIX))
                .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                .filter(FileArchiveStateStore::isSafeId)
                .toList();
          }
        });
  }

  @Override
  public Future<List<ArchiveEvent>> load(String streamId) {
    return serialised(streamId, () -> vertx.executeBlocking(() -> read(journal(streamId))));
  }

  private static List<ArchiveEvent> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    byte[] all = Files.readAllBytes(file);
    List<ArchiveEvent> events = new ArrayList<>();
    int start = 0;
    int goodEnd = 0;
    int lineNo = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') {
        continue;
      }
      lineNo++;
      String line = new String(all, start, i - start, StandardCharsets.UTF_8);
      try {
        events.add(ArchiveEvent.fromJson(new JsonObject(line)));
      } catch (DecodeException | IllegalArgumentException e) {
        throw new IOException(
            file + ":" + lineNo + ": corrupt archive journal record: " + e.getMessage(), e);
      }
      start = i + 1;
      goodEnd = start;
    }
    if (goodEnd < all.length) {
      // A crash in the middle of an append leaves a line without its newline: it was never
      // acknowledged.
      LOG.warn("{}: discarding a torn last record ({} bytes)", file, all.length - goodEnd);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(goodEnd);
        ch.force(true);
      }
    }
    return List.copyOf(events);
  }

  @Override
  public Future<Void> append(String streamId, ArchiveEvent event) {
    byte[] line = (event.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    return serialised(
        streamId,
        () ->
            vertx.executeBlocking(
                () -> {
                  FileChannel ch =
                      channels.computeIfAbsent(streamId, id -> openAppend(journal(id)));
                  ByteBuffer buf = ByteBuffer.wrap(line);
                  while (buf.hasRemaining()) {
                    ch.write(buf);
                  }
                  ch.force(false);
                  return null;
                }));
  }

  /**
   * Closes the stream's journal file once its queued appends are done; the next append reopens it.
   */
  @Override
  public Future<Void> release(String streamId) {
    return serialised(
        streamId,
        () ->
            vertx.executeBlocking(
                () -> {
                  FileChannel ch = channels.remove(streamId);
                  if (ch != null) {
                    ch.close();
                  }
                  return null;
                }));
  }

  @Override
  public Future<Void> replace(String streamId, List<ArchiveEvent> events) {
    StringBuilder b = new StringBuilder();
    for (ArchiveEvent e : events) {
      b.append(e.toJson().encode()).append('\n');
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    return serialised(
        streamId,
        () ->
            vertx.executeBlocking(
                () -> {
                  // The append channel points at the file being replaced: close it, the next append
                  // reopens the new one.
                  FileChannel old = channels.remove(streamId);
                  if (old != null) {
                    old.close();
                  }
                  AtomicFiles.write(journal(streamId), bytes);
                  return null;
                }));
  }

  private static FileChannel openAppend(Path file) {
    try {
      return FileChannel.open(
          file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> Future<T> serialised(String streamId, java.util.function.Supplier<Future<T>> op) {
    synchronized (tails) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("archive state store is closed"));
      }
      Future<Void> previous = tails.getOrDefault(streamId, Future.succeededFuture());
      Future<T> next = previous.transform(ignored -> op.get());
      Future<Void> tail = next.transform(ignored -> Future.succeededFuture());
      tails.put(streamId, tail);
      // Once nothing is queued behind it, the stream's tail is forgotten: kept, every stream ever
      // archived
      // would hold an entry here for as long as swarmtee runs.
      tail.onComplete(
          ar -> {
            synchronized (tails) {
              tails.remove(streamId, tail);
            }
          });
      return next;
    }
  }

  /**
   * @return streams with operations queued or running (tests: 0 once everything asked for is done)
   */
  int busyStreams() {
    synchronized (tails) {
      return tails.size();
    }
  }

  /** Closes open journal files once the appends already asked for are done; later appends fail. */
  public Future<Void> close() {
    List<Future<Void>> all;
    synchronized (tails) {
      closed = true;
      all = new ArrayList<>(tails.values());
    }
    return Future.join(all)
        .transform(
            ignored ->
                vertx.executeBlocking(
                    () -> {
                      for (FileChannel ch : channels.values()) {
                        ch.close();
                      }
                      channels.clear();
                      return null;
                    }));
  }
}
