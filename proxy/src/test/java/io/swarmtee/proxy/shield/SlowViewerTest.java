package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer that stops reading holds up nobody and costs no per-viewer copy: swarmtee stops writing
 * to its socket once the socket's buffers are full, and resumes when it reads again.
 */
@ExtendWith(VertxExtension.class)
class SlowViewerTest {

  private static final String SEGMENT = "/stream/abc/source/9.ts";
  private static final int SIZE = 16 << 20;

  @TempDir Path tmp;

  @Test
  void slowViewerDoesNotStallAFastOne(Vertx vertx) throws Exception {
    Buffer segment = CoalescingTest.randomBytes(SIZE, 9);
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    Promise<Void> fetched = Promise.promise();
    upstream.route(
        SEGMENT,
        req -> {
          fetched.tryComplete();
          TestUpstream.livepeerHeaders(req).end(segment);
        });
    SwarmteeServer server =
        TestServers.start(
                vertx, TestServers.config(upstream.url(), tmp), new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);

    // Slow viewer: a raw socket with a tiny receive buffer that is paused before the body comes.
    NetSocket slow =
        vertx
            .createNetClient(new NetClientOptions().setReceiveBufferSize(4096))
            .connect(server.port(), "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    Buffer received = Buffer.buffer();
    Promise<Void> slowDone = Promise.promise();
    slow.handler(
        chunk -> {
          received.appendBuffer(chunk);
          int headEnd = indexOf(received, "\r\n\r\n");
          if (headEnd >= 0 && received.length() - headEnd - 4 >= SIZE) {
            slowDone.tryComplete();
          }
        });
    slow.pause();
    slow.write("GET " + SEGMENT + " HTTP/1.1\r\nHost: x\r\n\r\n").await(10, TimeUnit.SECONDS);
    CoalescingShield shield = server.shield();
    // The slow viewer's request started the one upstream fetch: it streams from the fetch in
    // flight.
    fetched.future().await(10, TimeUnit.SECONDS);

    Http fast =
        Http.get(vertx.createHttpClient(), server.port(), SEGMENT).await(60, TimeUnit.SECONDS);
    assertEquals(200, fast.status());
    assertArrayEquals(segment.getBytes(), fast.body().getBytes(), "the fast viewer got everything");
    assertEquals(1, upstream.count(SEGMENT));

    assertEquals(1, shield.streams().size(), "the slow viewer is still being served");
    long written = shield.streams().iterator().next().written();
    assertTrue(
        written < SIZE / 2,
        "swarmtee stopped writing to the paused viewer at its socket buffers: "
            + written
            + " of "
            + SIZE);

    slow.resume();
    slowDone.future().await(60, TimeUnit.SECONDS);
    int bodyStart = indexOf(received, "\r\n\r\n") + 4;
    String head = received.getString(0, bodyStart, StandardCharsets.ISO_8859_1.name());
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    assertArrayEquals(
        segment.getBytes(), received.getBytes(bodyStart, bodyStart + SIZE), "the slow viewer too");
    assertEquals(0, shield.streams().size());
    slow.close();
  }

  static int indexOf(Buffer b, String s) {
    byte[] needle = s.getBytes(StandardCharsets.ISO_8859_1);
    int limit = Math.min(b.length(), 8192) - needle.length;
    outer:
    for (int i = 0; i <= limit; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
