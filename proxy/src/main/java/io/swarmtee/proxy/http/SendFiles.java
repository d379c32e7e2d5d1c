package io.swarmtee.proxy.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Immutable bodies held a second time as files, so that a whole-body GET goes out with sendfile(2):
 * the kernel sends from its page cache, where a write from memory copies every body from the JVM
 * into the socket (a quarter of a replay's CPU, {@code bench/profile.sh}). nginx serves its cache
 * the same way.
 *
 * <p>The memory copy stays what is served otherwise (HEAD, Range, 304, gzip) and whenever the file
 * is not there: not written yet, its write failed, or it was deleted under the request. Files are
 * written without fsync, each under a name of its own, and deleted when the cache drops the object
 * (a send in progress keeps its open file); the directory is emptied when first used and on {@link
 * #close}, so what a crash left behind is gone on the next start.
 */
public final class SendFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SendFiles.class);

  /** Bodies below this are written from memory: a file's open and close would cost more. */
  public static final int MIN_BYTES = 64 * 1024;

  /** No files: every body is written from memory. */
  public static final SendFiles NONE = new SendFiles(null, null);

  private final Vertx vertx;
  private final Path dir;
  private final AtomicLong names = new AtomicLong();
  private final Set<Future<?>> writing = ConcurrentHashMap.newKeySet();
  private Future<Void> prepared;
  private boolean closed;

  private SendFiles(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /**
   * @param dir a directory of this process alone: emptied on first use
   */
  public static SendFiles in(Vertx vertx, Path dir) {
    return new SendFiles(vertx, dir);
  }

  /**
   * Writes a copy of {@code body} (immutable from now on) in the background.
   *
   * @return the copy, sent once written; {@link SendFile#NONE} for a small body or when closed
   */
  public SendFile offer(Buffer body) {
    if (dir == null || body.length() < MIN_BYTES) {
      return SendFile.NONE;
    }
    SendFile file = new SendFile(dir.resolve(names.incrementAndGet() + ".body"), body.length());
    Future<Void> write;
    synchronized (this) {
      if (closed) {
        return SendFile.NONE;
      }
      write = prepare().compose(v -> vertx.executeBlocking(() -> file.write(body), false));
      writing.add(write);
    }
    write.onComplete(
        ar -> {
          writing.remove(write);
          if (ar.failed()) {
            LOG.warn("sendfile copy {} not written, served from memory: {}", file.path, ar.cause());
          }
        });
    return file;
  }

  /**
   * Refuses later offers.
   *
   * @return completes once the writes begun are done and the directory is empty
   */
  public Future<Void> close() {
    if (dir == null) {
      return Future.succeededFuture();
    }
    Future<Void> before;
    synchronized (this) {
      closed = true;
      before = prepare();
    }
    return Future.join(List.copyOf(writing))
        .transform(ar -> before)
        .transform(ar -> vertx.executeBlocking(this::empty, false))
        .mapEmpty();
  }

  private synchronized Future<Void> prepare() {
    if (prepared == null) {
      prepared = vertx.executeBlocking(this::empty, false);
    }
    return prepared;
  }

  private Void empty() throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
    return null;
  }

  /** One body's file. */
  public static final class SendFile {

    /** No file: the body is written from memory. */
    public static final SendFile NONE = new SendFile(null, 0);

    private final Path path;
    private final long length;
    private volatile boolean written;
    private volatile boolean deleted;

    private SendFile(Path path, long length) {
      this.path = path;
      this.length = length;
    }

    private Void write(Buffer body) throws IOException {
      if (deleted) {
        return null;
      }
      ByteBuffer bytes = ((BufferInternal) body).getByteBuf().nioBuffer();
      // Not sent before it is whole (written), so no temporary name; no fsync (see the class).
      try (FileChannel out =
          FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      } catch (IOException e) {
        Files.deleteIfExists(path);
        throw e;
      }
      written = true;
      if (deleted) {
        // Dropped while it was written: nobody deletes it after this.
        Files.deleteIfExists(path);
      }
      return null;
    }

    /**
     * Sends the whole file as the response body (status and headers already set). Call on the
     * response's event loop.
     *
     * @return false when there is no file to send: write the body from memory instead
     */
    public boolean send(HttpServerResponse response) {
      if (!written || deleted) {
        return false;
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return false; // deleted between the check and the open
      } catch (IOException e) {
        LOG.warn("sendfile copy {} unreadable, served from memory: {}", path, e.toString());
        return false;
      }
      // Vert.x leaves a channel it was given open: closed once sent, or once the send failed.
      try {
        response.sendFile(channel, 0, length).onComplete(ar -> closeQuietly(channel));
      } catch (RuntimeException e) {
        closeQuietly(channel); // refused before anything was written (a response already ended)
        throw e;
      }
      return true;
    }

    private static void closeQuietly(FileChannel channel) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing a sendfile channel: {}", e.toString());
      }
    }

    /** The cache dropped the body: its file goes too, now or once written. */
    public void delete(Vertx vertx) {
      if (path == null || deleted) {
        return;
      }
      deleted = true;
      if (written) {
        vertx.executeBlocking(() -> Files.deleteIfExists(path), false);
      }
    }

    /**
     * @return whether the file is there to be sent (tests)
     */
    public boolean written() {
      return written && !deleted;
    }

    /**
     * @return the file, null for {@link #NONE} (tests)
     */
    public Path path() {
      return path;
    }
  }
}
