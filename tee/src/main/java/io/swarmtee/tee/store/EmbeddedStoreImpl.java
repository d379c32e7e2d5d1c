package io.swarmtee.tee.store;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.UploadException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class EmbeddedStoreImpl implements EmbeddedStore {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreImpl.class);
  private static final int LEAVES_PER_READ = 16;
  private static final int WRITE_SLICE = 64 * 1024;

  private final Vertx vertx;
  private final Path dir;
  private final Path packs;
  private final Path tmp;

  /**
   * Indexes of recently read packs (a sync reads one chunk at a time); replaced when a pack is
   * rewritten.
   */
  private final java.util.Map<SwarmReference, PackFile.Reader> readers =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                java.util.Map.Entry<SwarmReference, PackFile.Reader> eldest) {
              return size() > 32;
            }
          });

  private EmbeddedStoreImpl(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
    this.packs = dir.resolve("packs");
    this.tmp = dir.resolve("tmp");
  }

  static Future<EmbeddedStore> open(Vertx vertx, Path dir) {
    EmbeddedStoreImpl store =
        new EmbeddedStoreImpl(
            Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(dir, "dir"));
    return store.blocking(
        () -> {
          Files.createDirectories(store.packs);
          Files.createDirectories(store.tmp);
          try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(store.tmp)) {
            for (Path leftover : leftovers) {
              LOG.info(
                  "embedded store: deleting {}, a write interrupted by a crash",
                  leftover.getFileName());
              Files.delete(leftover);
            }
          }
          return store;
        });
  }

  @Override
  public Path dir() {
    return dir;
  }

  private Path packOf(SwarmReference root) {
    String hex = root.hex();
    return packs.resolve(hex.substring(0, 2)).resolve(hex + ".pack");
  }

  // ------------------------------------------------------------------ writes

  /** A pack being written; the writer's I/O runs on worker threads, one call at a time. */
  private final class PendingPack {
    final Path file = tmp.resolve(UUID.randomUUID() + ".pack.tmp");
    final PackFile.Writer writer;

    PendingPack() throws IOException {
      writer = new PackFile.Writer(file);
    }

    void update(Buffer data) throws IOException {
      for (int at = 0; at < data.length(); at += WRITE_SLICE) {
        byte[] slice = data.getBytes(at, Math.min(data.length(), at + WRITE_SLICE));
        writer.update(slice, 0, slice.length);
      }
    }

    SwarmReference commit() throws IOException {
      SwarmReference root;
      try (writer) {
        root = writer.finish();
      } catch (IOException | RuntimeException e) {
        abandon();
        throw e;
      }
      Path target = packOf(root);
      if (!Files.isDirectory(target.getParent())) {
        Files.createDirectories(target.getParent());
        syncDirectory(packs);
      }
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
      readers.remove(root);
      return root;
    }

    void abandon() {
      try {
        writer.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("embedded store: cannot delete {}: {}", file, e.toString());
      }
    }
  }

  @Override
  public Future<SwarmReference> put(Buffer data) {
    Objects.requireNonNull(data, "data");
    return blocking(
        () -> {
          PendingPack pack = new PendingPack();
          try {
            pack.update(data);
          } catch (IOException | RuntimeException e) {
            pack.abandon();
            throw e;
          }
          return pack.commit();
        });
  }

  @Override
  public Future<SwarmReference> put(ReadStream<Buffer> data) {
    Objects.requireNonNull(data, "data");
    data.pause();
    Promise<SwarmReference> result = Promise.promise();
    Future<PendingPack> opened = blocking(PendingPack::new);
    // Each write starts after the previous one: the tail of the chain is the last write.
    Future<?>[] tail = {opened};
    data.exceptionHandler(
        error ->
            tail[0].onComplete(
                ignored -> {
                  opened.onSuccess(PendingPack::abandon);
                  result.tryFail(error);
                }));
    data.handler(
        buffer -> {
          data.pause();
          tail[0] =
              tail[0]
                  .compose(
                      ignored ->
                          blocking(
                              () -> {
                                opened.result().update(buffer);
                                return null;
                              }))
                  .onComplete(
                      written -> {
                        if (written.succeeded()) {
                          data.resume();
                        } else {
                          opened.result().abandon();
                          result.tryFail(written.cause());
                        }
                      });
        });
    data.endHandler(
        ignored ->
            tail[0].compose(done -> blocking(() -> opened.result().commit())).onComplete(result));
    opened.onComplete(
        ready -> {
          if (ready.succeeded()) {
            data.resume();
          } else {
            result.tryFail(ready.cause());
          }
        });
    return result.future();
  }

  @Override
  public Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected) {
    return put(bytes)
        .recover(
            e ->
                Future.failedFuture(
                    new UploadException(
                        UploadException.Kind.TRANSIENT, key + ": embedded store: " + e, e)))
        .compose(
            actual ->
                actual.equals(expected)
                    ? Future.succeededFuture(actual)
                    : Future.failedFuture(
                        new UploadException(
                            UploadException.Kind.MISMATCH,
                            key
                                + ": embedded store computed "
                                + actual
                                + ", expected "
                                + expected)));
  }

  // ------------------------------------------------------------------ reads

  private PackFile.Reader reader(SwarmReference ref) throws IOException {
    PackFile.Reader cached = readers.get(ref);
    if (cached != null) {
      return cached;
    }
    try {
      PackFile.Reader reader = PackFile.Reader.open(packOf(ref), ref);
      readers.put(ref, reader);
      return reader;
    } catch (NoSuchFileException e) {
      throw new StoreException.NotFound(ref);
    }
  }

  @Override
  public Future<Boolean> contains(SwarmReference ref) {
    Objects.requireNonNull(ref, "ref");
    return blocking(() -> Files.isRegularFile(packOf(ref)));
  }

  @Override
  public Future<Long> size(SwarmReference ref) {
    Objects.requireNonNull(ref, "ref");
    return blocking(() -> Chunks.span(reader(ref).chunks(ref)[0]));
  }

  @Override
  public Future<StoreRead> read(SwarmReference ref, Optional<ByteRange> range) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(range, "range");
    Context context = vertx.getOrCreateContext();
    return blocking(
        () -> {
          PackFile.Reader pack = reader(ref);
          byte[] rootWire = pack.chunks(ref)[0];
          long size = Chunks.span(rootWire);
          long first = range.map(ByteRange::first).orElse(0L);
          if (range.isPresent() && first >= size) {
            throw new StoreException.RangeNotSatisfiable(ref, range.get(), size);
          }
          long last = Math.min(size - 1, range.map(ByteRange::last).orElse(Long.MAX_VALUE));
          if (size == 0) {
            return new StoreRead(
                0,
                0,
                0,
                new PullReadStream(context, () -> Future.succeededFuture(Optional.empty())));
          }
          LeafCursor cursor = new LeafCursor(pack, rootWire, first, last);
          ReadStream<Buffer> body =
              new PullReadStream(
                  context, () -> blocking(() -> nextPiece(pack, cursor, first, last)));
          return new StoreRead(size, first, last - first + 1, body);
        });
  }

  /** Reads the next few leaves of the range, verified, as one buffer. */
  private static Optional<Buffer> nextPiece(
      PackFile.Reader pack, LeafCursor cursor, long first, long last) throws IOException {
    List<LeafCursor.Leaf> leaves = new ArrayList<>(LEAVES_PER_READ);
    LeafCursor.Leaf leaf;
    while (leaves.size() < LEAVES_PER_READ && (leaf = cursor.next()) != null) {
      leaves.add(leaf);
    }
    if (leaves.isEmpty()) {
      return Optional.empty();
    }
    byte[][] wires =
        pack.chunks(leaves.stream().map(LeafCursor.Leaf::address).toArray(SwarmReference[]::new));
    Buffer piece = Buffer.buffer();
    for (int i = 0; i < wires.length; i++) {
      LeafCursor.Leaf l = leaves.get(i);
      cursor.checkLeaf(l.address(), wires[i], l.length());
      int from = (int) Math.max(0, first - l.base());
      int to = (int) Math.min(l.length() - 1, last - l.base());
      piece.appendBytes(wires[i], Chunks.SPAN_SIZE + from, to - from + 1);
    }
    return Optional.of(piece);
  }

  @Override
  public Future<Buffer> readAll(SwarmReference ref) {
    return read(ref, Optional.empty())
        .compose(
            read -> {
              Promise<Buffer> all = Promise.promise();
              Buffer collected =
                  Buffer.buffer((int) Math.min(read.length(), Integer.MAX_VALUE - 8));
              read.body().exceptionHandler(all::tryFail);
              read.body().endHandler(ignored -> all.tryComplete(collected));
              read.body().handler(collected::appendBuffer);
              return all.future();
            });
  }

  @Override
  public Future<List<SwarmReference>> roots() {
    return blocking(
        () -> {
          List<SwarmReference> roots = new ArrayList<>();
          try (DirectoryStream<Path> fanout = Files.newDirectoryStream(packs)) {
            for (Path sub : fanout) {
              try (DirectoryStream<Path> files = Files.newDirectoryStream(sub, "*.pack")) {
                for (Path file : files) {
                  String name = file.getFileName().toString();
                  String hex = name.substring(0, name.length() - ".pack".length());
                  if (SwarmReference.isValid(hex)) {
                    roots.add(SwarmReference.parse(hex));
                  }
                }
              }
            }
          }
          return List.copyOf(roots);
        });
  }

  @Override
  public Future<List<SwarmReference>> chunkAddresses(SwarmReference root) {
    Objects.requireNonNull(root, "root");
    return blocking(() -> List.copyOf(reader(root).index().keySet()));
  }

  @Override
  public Future<Buffer> chunk(SwarmReference root, SwarmReference address) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(address, "address");
    return blocking(() -> Buffer.buffer(reader(root).chunks(address)[0]));
  }

  private <T> Future<T> blocking(Callable<T> task) {
    return vertx.executeBlocking(task, false);
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
