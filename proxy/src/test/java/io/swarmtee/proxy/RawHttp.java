package io.swarmtee.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;

/**
 * Sends hand-written HTTP/1.1 requests over a raw socket, for request lines a client library
 * refuses.
 */
public final class RawHttp {

  private RawHttp() {}

  /**
   * @return the whole response text the server sent before closing ({@code Connection: close} is
   *     added)
   */
  public static Future<String> send(Vertx vertx, int port, String requestLine) {
    NetClient client = vertx.createNetClient();
    return client
        .connect(port, "127.0.0.1")
        .compose(
            socket -> {
              Promise<String> done = Promise.promise();
              Buffer received = Buffer.buffer();
              socket.handler(received::appendBuffer);
              socket.closeHandler(
                  v -> done.tryComplete(received.toString(StandardCharsets.ISO_8859_1)));
              socket.exceptionHandler(done::tryFail);
              socket.write(
                  Buffer.buffer(
                      (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1)));
              return done.future();
            })
        .eventually(client::close);
  }

  /**
   * @return the status code of a raw response text
   */
  public static int status(String response) {
    String[] first = response.split("\r\n", 2)[0].split(" ");
    return first.length > 1 ? Integer.parseInt(first[1]) : -1;
  }
}
