package io.swarmtee.proxy.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** /bytes/{ref} from the embedded store, the default when no Bee is configured. */
@ExtendWith(VertxExtension.class)
class EmbeddedBytesEndpointTest {

  @TempDir Path tmp;

  SwarmteeServer server;
  HttpClient client;
  Buffer content;
  String ref;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    byte[] bytes = new byte[3 * 4096 * 128 + 17]; // a three-level tree
    new Random(11).nextBytes(bytes);
    content = Buffer.buffer(bytes);
    EmbeddedStore store =
        EmbeddedStore.open(vertx, tmp.resolve("store")).await(10, TimeUnit.SECONDS);
    ref = store.put(content).await(30, TimeUnit.SECONDS).hex();
    server =
        TestServers.start(
                vertx,
                TestServers.config("http://127.0.0.1:9", tmp.resolve("data")),
                ContentSource.embedded(Future.succeededFuture(store)))
            .await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  Http get(String path, String... headers) throws Exception {
    return Http.get(client, server.port(), path, headers).await(30, TimeUnit.SECONDS);
  }

  @Test
  void servesWholeContentWithTypeFromName() throws Exception {
    Http r = get("/bytes/" + ref + "?name=42.ts");
    assertEquals(200, r.status());
    assertEquals(String.valueOf(content.length()), r.header("Content-Length"));
    assertArrayEquals(content.getBytes(), r.body().getBytes());
    assertEquals("video/mp2t", r.header("Content-Type"));
    assertEquals("\"" + ref + "\"", r.header("ETag"));
  }

  @Test
  void rangesAcrossChunksHeadAndUnsatisfiable() throws Exception {
    int start = 4096 * 128 - 5;
    int end = 4096 * 128 * 2 + 300;
    Http part = get("/bytes/" + ref, "Range", "bytes=" + start + "-" + end);
    assertEquals(206, part.status());
    assertEquals(
        "bytes " + start + "-" + end + "/" + content.length(), part.header("Content-Range"));
    assertArrayEquals(content.getBuffer(start, end + 1).getBytes(), part.body().getBytes());

    Http suffix = get("/bytes/" + ref, "Range", "bytes=-10");
    assertEquals(206, suffix.status());
    assertArrayEquals(
        content.getBuffer(content.length() - 10, content.length()).getBytes(),
        suffix.body().getBytes());

    Http past = get("/bytes/" + ref, "Range", "bytes=" + content.length() + "-");
    assertEquals(416, past.status());
    assertEquals("bytes */" + content.length(), past.header("Content-Range"));

    Http head =
        Http.send(client, HttpMethod.HEAD, server.port(), "/bytes/" + ref)
            .await(10, TimeUnit.SECONDS);
    assertEquals(200, head.status());
    assertEquals(String.valueOf(content.length()), head.header("Content-Length"));
    assertEquals(0, head.body().length());
  }

  @Test
  void unknownReferenceIsNotFoundAndOnlyTheDeadUpstreamMakesItUnready() throws Exception {
    assertEquals(404, get("/bytes/" + "ab".repeat(32)).status());
    Http ready = get("/ready");
    assertEquals(503, ready.status()); // the upstream of this test is port 9, nothing listens there
    assertEquals(1, ready.body().toJsonObject().getJsonArray("reasons").size(), ready.text());
    assertEquals(
        true,
        ready.body().toJsonObject().getJsonArray("reasons").getString(0).startsWith("upstream "),
        ready.text());
  }
}
