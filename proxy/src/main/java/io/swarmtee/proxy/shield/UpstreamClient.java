package io.swarmtee.proxy.shield;

import io.swarmtee.proxy.ProxyFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one URL into an {@link InFlight}, enforcing the connect, first-byte and idle timeouts.
 * The request carries no viewer header at all (the fetch is shared), so nothing hop-by-hop or
 * private can leak upstream; hop-by-hop response headers are dropped from what is kept.
 *
 * <p>Keep-alive: an upstream may close an idle pooled connection just as a request goes out on it
 * (the close and the request cross on the wire). Such a request failed before any byte of an
 * answer, and a GET is safe to repeat, so it is sent once more on a connection of its own ({@code
 * fresh}, never pooled) instead of turning the upstream's housekeeping into a 502 for viewers.
 */
final class UpstreamClient {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);

  /**
   * Headers that describe one connection, never an object (RFC 9110 §7.6.1 and the usual suspects).
   */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "proxy-authenticate",
          "proxy-authorization");

  private final Vertx vertx;
  private final HttpClient client;
  private final HttpClient fresh;
  // Connections that already carried a request: only a request on one of these may meet a
  // keep-alive close.
  private final Set<HttpConnection> used =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger timers = new AtomicInteger();
  private final Duration connectTimeout;
  private final Duration firstByteTimeout;
  private final Duration idleTimeout;

  UpstreamClient(
      Vertx vertx, Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.connectTimeout = connectTimeout;
    this.firstByteTimeout = firstByteTimeout;
    this.idleTimeout = idleTimeout;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setMetricsName("swarmtee-upstream")
                .setConnectTimeout((int) connectTimeout.toMillis()),
            new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1024));
    this.fresh =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(false)
                .setMetricsName("swarmtee-upstream-retry")
                .setConnectTimeout((int) connectTimeout.toMillis()));
  }

  /**
   * Fetches {@code url} into {@code entry}: head, chunks as they arrive, end — or a failure.
   *
   * @param done told the status code, {@code timeout} or {@code error}, and the elapsed
   *     nanoseconds, for metrics
   */
  void fetch(URI url, InFlight entry, BiConsumer<String, Long> done) {
    long start = System.nanoTime();
    Fetch f = new Fetch(url, entry, start, done);
    f.run();
  }

  void close() {
    client.close();
    fresh.close();
  }

  /**
   * @return fetches started and not finished yet
   */
  int running() {
    return running.get();
  }

  /**
   * @return timeout timers armed and neither fired nor cancelled
   */
  int timers() {
    return timers.get();
  }

  private final class Fetch {
    private final URI url;
    private final InFlight entry;
    private final long start;
    private final BiConsumer<String, Long> done;
    private HttpClientRequest request;
    private long timer = -1;
    private boolean answered;
    private boolean retried;
    private boolean finished;

    Fetch(URI url, InFlight entry, long start, BiConsumer<String, Long> done) {
      this.url = url;
      this.entry = entry;
      this.start = start;
      this.done = done;
    }

    void run() {
      running.incrementAndGet();
      send(client);
    }

    private void send(HttpClient via) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setAbsoluteURI(url.toString())
              .setConnectTimeout(connectTimeout.toMillis())
              .setFollowRedirects(false)
              .putHeader("User-Agent", "swarmtee")
              .putHeader("Accept-Encoding", "identity");
      via.request(options)
          .onComplete(
              ar -> {
                if (finished) {
                  if (ar.succeeded()) {
                    ar.result()
                        .reset(); // the first-byte timeout fired while waiting for a connection
                  }
                  return;
                }
                if (ar.failed()) {
                  fail(connectFailure(ar.cause()));
                  return;
                }
                HttpClientRequest req = ar.result();
                request = req;
                boolean reused = !used.add(req.connection());
                arm(
                    firstByteTimeout,
                    () ->
                        fail(
                            ProxyFailure.gatewayTimeout(
                                "upstream sent no response headers within "
                                    + firstByteTimeout.toMillis()
                                    + " ms")));
                req.exceptionHandler(e -> sendFailed(req, reused, e));
                req.send()
                    .onComplete(
                        sent -> {
                          if (sent.failed()) {
                            sendFailed(req, reused, sent.cause());
                          } else if (req == request) {
                            onResponse(sent.result());
                          }
                        });
              });
    }

    /**
     * The request broke before a response: once, if a reused connection was closed under it, try
     * again.
     */
    private void sendFailed(HttpClientRequest req, boolean reused, Throwable e) {
      if (finished || req != request || answered) {
        return;
      }
      boolean closedUnderUs = e instanceof HttpClosedException || e instanceof IOException;
      if (reused && closedUnderUs && !retried) {
        retried = true;
        request = null;
        disarm();
        LOG.debug(
            "upstream closed a kept-alive connection under {}: sending it again on a new one", url);
        send(fresh);
        return;
      }
      fail(ProxyFailure.badGateway("upstream request failed: " + e.getMessage(), e));
    }

    private void onResponse(HttpClientResponse response) {
      if (finished) {
        return;
      }
      answered = true;
      int status = response.statusCode();
      if (status >= 500 || status < 200) {
        // Read the error body away instead of resetting: the connection stays reusable.
        response.handler(b -> {});
        response.exceptionHandler(e -> {});
        request = null;
        fail(ProxyFailure.badGateway("upstream answered " + status, null), String.valueOf(status));
        return;
      }
      Map<String, String> headers = new HashMap<>();
      response
          .headers()
          .forEach(
              h -> {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name)) {
                  headers.putIfAbsent(name, h.getValue());
                }
              });
      long length = -1;
      try {
        String cl = response.getHeader("Content-Length");
        length = cl == null ? -1 : Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        length = -1;
      }
      // Re-armed by every chunk: the timeout is on silence, not on the whole body.
      Runnable silent =
          () ->
              fail(
                  ProxyFailure.gatewayTimeout(
                      "upstream went silent for "
                          + idleTimeout.toMillis()
                          + " ms in the middle of the body"));
      arm(idleTimeout, silent);
      response.handler(
          chunk -> {
            arm(idleTimeout, silent);
            entry.received(chunk);
          });
      response.exceptionHandler(
          e -> fail(ProxyFailure.badGateway("upstream broke off: " + e.getMessage(), e)));
      response.endHandler(
          v -> {
            if (!finished) {
              finished = true;
              running.decrementAndGet();
              disarm();
              entry.end();
              done.accept(String.valueOf(status), System.nanoTime() - start);
            }
          });
      entry.receivedHead(new InFlight.Head(status, headers, length));
    }

    private void arm(Duration timeout, Runnable onTimeout) {
      disarm();
      timers.incrementAndGet();
      timer =
          vertx.setTimer(
              Math.max(1, timeout.toMillis()),
              id -> {
                timer = -1;
                timers.decrementAndGet();
                onTimeout.run();
              });
    }

    private void disarm() {
      if (timer >= 0) {
        if (vertx.cancelTimer(timer)) {
          timers.decrementAndGet();
        }
        timer = -1;
      }
    }

    private void fail(ProxyFailure failure) {
      fail(failure, failure.code() == 504 ? "timeout" : "error");
    }

    private void fail(ProxyFailure failure, String statusTag) {
      if (finished) {
        return;
      }
      finished = true;
      running.decrementAndGet();
      disarm();
      if (request != null) {
        request.reset();
      }
      entry.fail(failure);
      done.accept(statusTag, System.nanoTime() - start);
    }

    private ProxyFailure connectFailure(Throwable cause) {
      String msg = String.valueOf(cause.getMessage());
      if (cause instanceof io.netty.channel.ConnectTimeoutException
          || msg.toLowerCase(Locale.ROOT).contains("timed out")) {
        return ProxyFailure.gatewayTimeout(
            "upstream connect timed out after " + connectTimeout.toMillis() + " ms");
      }
      return ProxyFailure.badGateway("upstream unreachable: " + msg, cause);
    }
  }
}
