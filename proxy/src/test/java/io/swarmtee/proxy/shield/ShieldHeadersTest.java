package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What viewers and CDNs see: types, caching headers, CORS, validators, ranges, HEAD, gzip, h2c. */
@ExtendWith(VertxExtension.class)
class ShieldHeadersTest {

  static final String MEDIA = "/stream/abc/source.m3u8";
  static final String SEGMENT = "/stream/abc/source/3.ts";
  static final String FMP4 = "/stream/abc/source/3.m4s";
  static final String PLAYLIST =
      """
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-MEDIA-SEQUENCE:0
      #EXT-X-TARGETDURATION:2
      #EXTINF:2.000,
      /stream/abc/source/0.ts
      #EXTINF:2.000,
      /stream/abc/source/1.ts
      """
          .repeat(3);

  @TempDir Path tmp;

  Vertx vertx;
  TestUpstream upstream;
  SwarmteeServer server;
  HttpClient client;
  Buffer segment = CoalescingTest.randomBytes(100_000, 3);

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.serve(MEDIA, Buffer.buffer(PLAYLIST)).serve(SEGMENT, segment).serve(FMP4, segment);
    server =
        TestServers.start(
                vertx,
                TestServers.config(upstream.url(), tmp, "--h2c"),
                new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  Http get(String path, String... headers) throws Exception {
    return Http.get(client, server.port(), path, headers).await(10, TimeUnit.SECONDS);
  }

  @Test
  void playlistHeaders() throws Exception {
    Http r =
        get(
            MEDIA,
            "Proxy-Authorization",
            "Basic c2VjcmV0",
            "TE",
            "trailers",
            "Cookie",
            "viewer=1",
            "X-Viewer",
            "me");
    assertEquals(200, r.status());
    assertEquals(PLAYLIST, r.text());
    assertEquals("application/vnd.apple.mpegurl", r.header("Content-Type"));
    assertEquals("public, max-age=1", r.header("Cache-Control"), "half of TARGETDURATION 2");
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
    assertTrue(r.header("Access-Control-Expose-Headers").contains("Content-Length"));
    assertEquals("Accept-Encoding", r.header("Vary"));
    assertTrue(r.header("ETag").matches("\"[0-9a-f]{32}\""), r.header("ETag"));
    assertNull(r.header("Keep-Alive"), "hop-by-hop header of the upstream not forwarded");
    assertNull(r.header("X-Upstream"), "upstream-private headers not forwarded");
    var seen = upstream.requests().get(0).headers();
    for (String h : new String[] {"Proxy-Authorization", "TE", "Cookie", "X-Viewer"}) {
      assertNull(seen.get(h), h + " must not reach the upstream");
    }
  }

  @Test
  void segmentTypesAreCorrectedAndImmutable() throws Exception {
    Http ts = get(SEGMENT);
    assertEquals(200, ts.status());
    assertEquals(
        "video/mp2t",
        ts.header("Content-Type"),
        "go-livepeer's text/vnd.trolltech.linguist corrected");
    assertEquals("public, max-age=31536000, immutable", ts.header("Cache-Control"));
    assertArrayEquals(segment.getBytes(), ts.body().getBytes());
    Http m4s = get(FMP4);
    assertEquals("video/mp4", m4s.header("Content-Type"));
  }

  @Test
  void etagGivesNotModifiedFromTheCache() throws Exception {
    Http first = get(SEGMENT);
    assertNull(first.header("ETag"), "streamed while fetched: the content hash is not known yet");
    String etag = get(SEGMENT).header("ETag");
    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
    Http again = get(SEGMENT, "If-None-Match", etag);
    assertEquals(304, again.status());
    assertEquals(0, again.body().length());
    assertEquals(etag, again.header("ETag"));
    Http other = get(SEGMENT, "If-None-Match", "\"nope\"");
    assertEquals(200, other.status());
    assertEquals(1, upstream.count(SEGMENT), "served from the cache");
  }

  @Test
  void rangesAndHead() throws Exception {
    Http part = get(SEGMENT, "Range", "bytes=10-19");
    assertEquals(206, part.status());
    assertEquals("bytes 10-19/100000", part.header("Content-Range"));
    assertArrayEquals(segment.getBuffer(10, 20).getBytes(), part.body().getBytes());
    Http suffix = get(SEGMENT, "Range", "bytes=-5");
    assertEquals(206, suffix.status());
    assertArrayEquals(segment.getBuffer(99_995, 100_000).getBytes(), suffix.body().getBytes());
    Http tooFar = get(SEGMENT, "Range", "bytes=100000-");
    assertEquals(416, tooFar.status());
    assertEquals("bytes */100000", tooFar.header("Content-Range"));
    Http head =
        Http.send(client, HttpMethod.HEAD, server.port(), SEGMENT).await(10, TimeUnit.SECONDS);
    assertEquals(200, head.status());
    assertEquals("100000", head.header("Content-Length"));
    assertEquals(0, head.body().length());
    assertEquals("bytes", head.header("Accept-Ranges"));
    assertEquals(1, upstream.count(SEGMENT));
  }

  @Test
  void gzipForPlaylistsOnlyWhenAsked() throws Exception {
    Http gz = get(MEDIA, "Accept-Encoding", "gzip, deflate");
    assertEquals("gzip", gz.header("Content-Encoding"));
    assertTrue(gz.body().length() < PLAYLIST.length());
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body().getBytes()))) {
      assertEquals(PLAYLIST, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Http plain = get(MEDIA, "Accept-Encoding", "gzip;q=0");
    assertNull(plain.header("Content-Encoding"));
    assertEquals(PLAYLIST, plain.text());
    Http ts = get(SEGMENT, "Accept-Encoding", "gzip");
    assertNull(ts.header("Content-Encoding"), "segments are not compressed");
  }

  @Test
  void corsPreflightIsAnsweredLocally() throws Exception {
    Http pre =
        Http.send(
                client,
                HttpMethod.OPTIONS,
                server.port(),
                SEGMENT,
                "Origin",
                "https://player.example",
                "Access-Control-Request-Method",
                "GET",
                "Access-Control-Request-Headers",
                "range")
            .await(10, TimeUnit.SECONDS);
    assertEquals(204, pre.status());
    assertEquals("*", pre.header("Access-Control-Allow-Origin"));
    assertEquals("GET, HEAD, OPTIONS", pre.header("Access-Control-Allow-Methods"));
    assertEquals("range", pre.header("Access-Control-Allow-Headers"));
    assertEquals(0, upstream.requests().size());
  }

  /**
   * Two requests, one after the other, on one raw connection: both answered, the connection kept.
   */
  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    NetSocket socket =
        vertx.createNetClient().connect(server.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    Buffer received = Buffer.buffer();
    List<Promise<Void>> answered = List.of(Promise.promise(), Promise.promise());
    socket.handler(
        chunk -> {
          received.appendBuffer(chunk);
          String text = received.toString(StandardCharsets.ISO_8859_1);
          int responses = text.split("HTTP/1.1 200 OK", -1).length - 1;
          if (responses > 0 && text.endsWith(PLAYLIST)) {
            answered.get(responses - 1).tryComplete();
          }
        });
    for (int i = 0; i < 2; i++) {
      socket.write("GET " + MEDIA + " HTTP/1.1\r\nHost: x\r\n\r\n").await(10, TimeUnit.SECONDS);
      answered.get(i).future().await(10, TimeUnit.SECONDS);
    }
    assertEquals(1, upstream.count(MEDIA), "the second answer came from the cache");
    socket.close();
  }

  @Test
  void h2cWithPriorKnowledge() throws Exception {
    HttpClient h2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    Http r = Http.get(h2, server.port(), SEGMENT).await(10, TimeUnit.SECONDS);
    assertEquals(HttpVersion.HTTP_2, r.version());
    assertEquals(200, r.status());
    assertArrayEquals(segment.getBytes(), r.body().getBytes());
  }
}
