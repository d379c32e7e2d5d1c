package io.swarmtee.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.http.SendFiles.SendFile;
import io.swarmtee.proxy.testing.Polling;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class SendFilesTest {

  private static Buffer random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return DirectBuffers.copyOf(Buffer.buffer(b));
  }

  private static long files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  /**
   * @return descriptors of this process open on {@code file}
   */
  private static long openOn(Path file) throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(file);
                } catch (Exception e) {
                  return false; // closed meanwhile (or the listing's own)
                }
              })
          .count();
    }
  }

  private static void awaitWritten(SendFile file) throws Exception {
    Polling.until(
        Duration.ofSeconds(10), Duration.ofMillis(5), file::written, () -> "file never written");
  }

  @Test
  void aWrittenCopyIsSentWholeAndItsDescriptorClosed(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("files");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("left-by-a-crash.body"), "old");
    SendFiles files = SendFiles.in(vertx, dir);
    Buffer body = random(3 * SendFiles.MIN_BYTES + 17, 1);
    SendFile file = files.offer(body);
    awaitWritten(file);
    assertFalse(Files.exists(dir.resolve("left-by-a-crash.body")), "emptied on first use");
    assertEquals(1, files(dir));

    AtomicInteger fromFile = new AtomicInteger();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  req.response().putHeader("Content-Length", String.valueOf(body.length()));
                  if (file.send(req.response())) {
                    fromFile.incrementAndGet();
                  } else {
                    req.response().end(body);
                  }
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    Http first = Http.get(client, server.actualPort(), "/").await(10, TimeUnit.SECONDS);
    assertEquals(body, first.body());
    for (int i = 0; i < 200; i++) {
      Http r = Http.get(client, server.actualPort(), "/").await(10, TimeUnit.SECONDS);
      assertEquals(200, r.status());
      assertEquals(body.length(), r.body().length());
    }
    assertEquals(201, fromFile.get(), "every whole GET came from the file");
    // Each send opened the file; the region closes it once sent (just after the client has it).
    Path path = file.path().toRealPath();
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () -> openOn(path) == 0,
        () -> "descriptors left open on " + path);

    file.delete(vertx);
    assertFalse(file.written(), "a deleted copy is not sent");
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(5),
        () -> !Files.exists(file.path()),
        () -> "deleted copy still on disk");
    Http after = Http.get(client, server.actualPort(), "/").await(10, TimeUnit.SECONDS);
    assertEquals(body, after.body(), "served from memory once the file is gone");
    assertEquals(201, fromFile.get());
    client.close().await(5, TimeUnit.SECONDS);
    server.close().await(5, TimeUnit.SECONDS);
    files.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void smallBodiesAndClosedFilesAreServedFromMemory(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    SendFiles files = SendFiles.in(vertx, tmp);
    assertSame(SendFile.NONE, files.offer(random(SendFiles.MIN_BYTES - 1, 2)));
    assertSame(SendFile.NONE, SendFiles.NONE.offer(random(SendFiles.MIN_BYTES, 3)));
    assertFalse(SendFile.NONE.send(null));
    SendFile last = files.offer(random(SendFiles.MIN_BYTES, 4));
    files.close().await(10, TimeUnit.SECONDS);
    assertSame(SendFile.NONE, files.offer(random(SendFiles.MIN_BYTES, 5)), "refused after close");
    assertEquals(0, files(tmp), "close waited for the write, then emptied the directory");
    assertFalse(last.send(null), "a copy whose file is gone is not sent");
  }

  @Test
  void aCopyDroppedWhileWrittenIsDeletedOnceWritten(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    SendFiles files = SendFiles.in(vertx, tmp);
    SendFile[] dropped = new SendFile[20];
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = files.offer(random(SendFiles.MIN_BYTES * 4, 10 + i));
      dropped[i].delete(vertx); // at once: most are still being written
    }
    SendFile kept = files.offer(random(SendFiles.MIN_BYTES * 4, 99));
    awaitWritten(kept);
    for (SendFile d : dropped) {
      Polling.until(
          Duration.ofSeconds(10),
          Duration.ofMillis(5),
          () -> !Files.exists(d.path()),
          () -> d.path() + " left on disk");
      assertFalse(d.written());
    }
    assertEquals(1, files(tmp), "only the kept copy");
    files.close().await(10, TimeUnit.SECONDS);
    assertEquals(0, files(tmp));
  }
}
