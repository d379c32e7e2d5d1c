package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache dropping an object does not end a response that is serving it: a viewer that reads
 * slowly still gets every byte after the shield's cache dropped the object mid-stream: evicted as
 * too large while streamed from the fetch in flight, or forgotten (its stream's playlist answered
 * 404) while answered from the cache. The budget is 16 MiB, the shield's part of it 12 MiB.
 */
@ExtendWith(VertxExtension.class)
class EvictedWhileServedTest {

  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

  @TempDir Path tmp;

  TestUpstream upstream;
  SwarmteeServer server;
  CoalescingShield shield;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    server =
        TestServers.start(
                vertx,
                TestServers.config(upstream.url(), tmp, "--segment-cache-bytes", "16MiB"),
                new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    shield = server.shield();
  }

  @Test
  void aSlowViewerStreamedFromTheFetchGetsAnObjectTooLargeToStay(Vertx vertx) throws Exception {
    // 12 MiB weighs more than the shield's 12 MiB: the cache drops it as soon as it is stored.
    String path = "/stream/evicted/source/1.ts";
    Buffer segment = serve(path, 12 << 20, 1);
    SlowViewer slow = SlowViewer.ask(vertx, server.port(), path);
    poll(() -> shield.streams().size() == 1, "the slow viewer streams from the fetch");
    Http fast = Http.get(vertx.createHttpClient(), server.port(), path).await(60, TimeUnit.SECONDS);
    assertArrayEquals(segment.getBytes(), fast.body().getBytes(), "the fast viewer got everything");
    assertEquals(1, upstream.count(path), "one upstream fetch");
    poll(() -> shield.inFlightCount() == 0, "the fetch completed and was stored");
    assertFalse(shield.caches(shield.urlOf(path)), "the cache dropped the object");
    assertEquals(1, shield.streams().size(), "the slow viewer is still being served");
    assertTrue(shield.streams().iterator().next().written() < segment.length() / 2);

    System.gc(); // nothing the slow viewer still needs may go with the evicted entry
    assertArrayEquals(segment.getBytes(), slow.rest(segment.length()), "the slow viewer too");
    poll(() -> shield.streams().isEmpty(), "the slow viewer's stream ended");
  }

  @Test
  void aSlowViewerAnsweredFromTheCacheGetsAnObjectTheCacheForgets(Vertx vertx) throws Exception {
    String segmentPath = "/stream/evicted/source/1.ts";
    String playlist = "/stream/evicted/source.m3u8";
    Buffer one = serve(segmentPath, 8 << 20, 1);
    upstream.route(playlist, req -> req.response().setStatusCode(404).end());
    Http fetched =
        Http.get(vertx.createHttpClient(), server.port(), segmentPath).await(60, TimeUnit.SECONDS);
    assertArrayEquals(one.getBytes(), fetched.body().getBytes());
    poll(() -> shield.caches(shield.urlOf(segmentPath)), "the segment is cached");

    SlowViewer slow = SlowViewer.ask(vertx, server.port(), segmentPath);
    poll(slow::headed, "the slow viewer's cache hit began");
    // The stream's playlist answers 404: the shield forgets the segments cached under it.
    Http ended =
        Http.get(vertx.createHttpClient(), server.port(), playlist).await(60, TimeUnit.SECONDS);
    assertEquals(404, ended.status());
    assertFalse(shield.caches(shield.urlOf(segmentPath)), "the cache dropped the segment");
    assertTrue(slow.received() < one.length() / 2, "the slow viewer was mid-body");

    System.gc();
    assertArrayEquals(one.getBytes(), slow.rest(one.length()), "the slow viewer got every byte");
    assertEquals(1, upstream.count(segmentPath), "one upstream fetch of the dropped segment");
  }

  private Buffer serve(String path, int size, long seed) {
    Buffer bytes = CoalescingTest.randomBytes(size, seed);
    upstream.route(path, req -> TestUpstream.livepeerHeaders(req).end(bytes));
    return bytes;
  }

  private static void poll(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - deadline < 0, "timed out waiting until " + what);
      Thread.sleep(5);
    }
  }

  /** A raw connection with a tiny receive buffer that reads nothing until told to. */
  private static final class SlowViewer {
    private final NetSocket socket;
    private final Buffer received = Buffer.buffer();
    private final Promise<Void> done = Promise.promise();
    private volatile int expected = Integer.MAX_VALUE;
    private volatile int bodyStart = -1;
    private volatile int length;

    private SlowViewer(NetSocket socket) {
      this.socket = socket;
    }

    static SlowViewer ask(Vertx vertx, int port, String path) throws Exception {
      NetSocket socket =
          vertx
              .createNetClient(new NetClientOptions().setReceiveBufferSize(4096))
              .connect(port, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      SlowViewer v = new SlowViewer(socket);
      socket.handler(v::onData);
      socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").await(10, TimeUnit.SECONDS);
      return v;
    }

    private void onData(Buffer chunk) {
      received.appendBuffer(chunk);
      length = received.length();
      if (bodyStart < 0) {
        int end = SlowViewerTest.indexOf(received, "\r\n\r\n");
        if (end < 0) {
          return;
        }
        bodyStart = end + 4;
        // Stop reading once the head is in: the body waits in the socket buffers.
        socket.pause();
      }
      if (length - bodyStart >= expected) {
        done.tryComplete();
      }
    }

    boolean headed() {
      return bodyStart >= 0;
    }

    int received() {
      return length;
    }

    /**
     * @return the body of {@code size} bytes, read to its end from now on
     */
    byte[] rest(int size) throws Exception {
      expected = size;
      socket.resume();
      done.future().await(60, TimeUnit.SECONDS);
      String head = received.getString(0, bodyStart, StandardCharsets.ISO_8859_1.name());
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      byte[] body = received.getBytes(bodyStart, bodyStart + size);
      socket.close();
      return body;
    }
  }
}
