package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver's view of the shield: one tap per upstream segment fetch, viewer requests reported.
 */
@ExtendWith(VertxExtension.class)
class ShieldTapTest {

  static final String SEGMENT = "/stream/abc/source/3.ts";
  static final String MEDIA = "/stream/abc/source.m3u8";

  @TempDir Path tmp;

  @Test
  void segmentsFetchedForViewersAreTappedOnceAndShared(Vertx vertx) throws Exception {
    Buffer segment = CoalescingTest.randomBytes(300_000, 11);
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.serve(SEGMENT, segment).serve(MEDIA, Buffer.buffer("#EXTM3U\n"));
    SwarmteeServer server =
        TestServers.start(
                vertx, TestServers.config(upstream.url(), tmp), new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    OriginShield shield = server.shield();
    List<UpstreamObject> tapped = new CopyOnWriteArrayList<>();
    List<String> requested = new CopyOnWriteArrayList<>();
    shield.onSegment(tapped::add);
    shield.onSegment(
        o -> {
          throw new IllegalStateException("a broken listener harms nobody");
        });
    shield.onViewerRequest(requested::add);

    HttpClient client = vertx.createHttpClient();
    List<Http> viewers =
        Future.all(
                List.of(
                    Http.get(client, server.port(), SEGMENT),
                    Http.get(client, server.port(), SEGMENT + "?token=x"),
                    Http.get(client, server.port(), MEDIA)))
            .await(10, TimeUnit.SECONDS)
            .list();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, viewers.get(i).status());
      assertArrayEquals(segment.getBytes(), viewers.get(i).body().getBytes());
    }
    UpstreamObject archived = shield.fetch(SEGMENT).await(10, TimeUnit.SECONDS);

    assertEquals(1, upstream.count(SEGMENT), "viewers and archiver shared one fetch");
    assertEquals(1, tapped.size(), "one tap per upstream fetch, playlists not tapped");
    UpstreamObject tap = tapped.get(0);
    assertEquals(SEGMENT, tap.path());
    assertEquals(200, tap.status());
    assertEquals("video/mp2t", tap.contentType());
    assertEquals(
        "text/vnd.trolltech.linguist",
        tap.header("Content-Type").orElseThrow(),
        "upstream's own type");
    assertArrayEquals(segment.getBytes(), tap.body().getBytes());
    assertSame(
        tap.body(), archived.body(), "the archiver's fetch is the cached object, not a copy");
    assertEquals(
        List.of(MEDIA, SEGMENT, SEGMENT),
        requested.stream().sorted().toList(),
        "every viewer request reported, decoded path without its query");
  }
}
