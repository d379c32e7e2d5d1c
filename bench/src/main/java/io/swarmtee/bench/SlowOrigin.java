package io.swarmtee.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow HLS origin for the coalescing benchmark: every {@code .ts} under {@code /stream/} answers
 * after {@code firstByteMillis}, then sends {@code size} bytes at {@code bytesPerSecond}, and
 * counts how often each path was asked for. {@code GET /_count?path=P} returns that count as text.
 *
 * <p>{@code java -cp swarmtee-bench.jar io.swarmtee.bench.SlowOrigin PORT_FILE [firstByteMillis]
 * [bytesPerSecond] [size]}: listens on a free port of 127.0.0.1 and writes the port to PORT_FILE.
 */
public final class SlowOrigin {

  private static final int CHUNK = 64 * 1024;

  private final Vertx vertx;
  private final long firstByteMillis;
  private final long bytesPerSecond;
  private final Buffer body;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  SlowOrigin(Vertx vertx, long firstByteMillis, long bytesPerSecond, int size) {
    this.vertx = vertx;
    this.firstByteMillis = firstByteMillis;
    this.bytesPerSecond = bytesPerSecond;
    byte[] bytes = new byte[size];
    new Random(8).nextBytes(bytes);
    this.body = Buffer.buffer(bytes);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: SlowOrigin PORT_FILE [firstByteMillis] [bytesPerSecond] [size]");
    }
    long firstByte = args.length > 1 ? Long.parseLong(args[1]) : 200;
    long rate = args.length > 2 ? Long.parseLong(args[2]) : 10_000_000;
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 1024 * 1024;
    Vertx vertx = Vertx.vertx();
    SlowOrigin origin = new SlowOrigin(vertx, firstByte, rate, size);
    HttpServer server = origin.listen().await();
    Path portFile = Path.of(args[0]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.actualPort()));
    Files.move(tmp, portFile); // atomic: the script never reads half a port
  }

  Future<HttpServer> listen() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1");
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/_count")) {
      String asked = request.getParam("path", "");
      AtomicInteger count = counts.get(asked);
      request.response().end(Integer.toString(count == null ? 0 : count.get()));
      return;
    }
    if (!path.startsWith("/stream/") || !path.endsWith(".ts")) {
      request.response().setStatusCode(404).end();
      return;
    }
    counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    HttpServerResponse response =
        request
            .response()
            .putHeader("Content-Type", "video/mp2t")
            .putHeader("Content-Length", Integer.toString(body.length()));
    vertx.setTimer(firstByteMillis, id -> send(response, 0, System.nanoTime()));
  }

  /** Sends the chunk at {@code offset} when the paced clock says so, then schedules the next. */
  private void send(HttpServerResponse response, int offset, long startNanos) {
    if (response.closed()) {
      return;
    }
    int end = Math.min(body.length(), offset + CHUNK);
    if (end == body.length()) {
      response.end(body.slice(offset, end));
      return;
    }
    response.write(body.slice(offset, end));
    long dueNanos = startNanos + end * 1_000_000_000L / bytesPerSecond;
    long delayMillis = Math.max(1, (dueNanos - System.nanoTime()) / 1_000_000);
    vertx.setTimer(delayMillis, id -> send(response, end, startNanos));
  }
}
