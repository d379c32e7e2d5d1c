package io.swarmtee.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Fires {@code viewers} GETs of one URL at once (one keep-alive connection each, opened by warm-up
 * volleys at {@code /stream/warm/source/0.ts} of the same server) and reports every viewer's time
 * to first body byte and to last byte, measured from the moment the requests were fired, plus how
 * often the origin was asked for the path ({@code ORIGIN/_count?path=}, see {@link SlowOrigin}).
 *
 * <p>Just before, the same client fires the same number of GETs straight at the origin (a fresh
 * path of its own, over connections its own warm-up opened): the first byte those viewers see is
 * the baseline. Firing 50 requests from one JVM on a 2-core machine and receiving 50 answers at
 * once costs the client itself tens of milliseconds; a single {@code curl} to the origin does not
 * show that, so a proxy compared with it would be charged for the client.
 *
 * <p>{@code java -cp swarmtee-bench.jar io.swarmtee.bench.CoalescingClient LABEL URL ORIGIN_BASE
 * [viewers] [expectedBytes]} prints two human lines and one {@code RESULT} line: {@code label
 * fetches ok ttfb_p50 ttfb_p99 ttfb_max ttlb_p50 ttlb_p99 ttlb_max direct_ttfb_p50 direct_ttfb_p99
 * direct_ttfb_max} (milliseconds).
 */
public final class CoalescingClient {

  /** Volleys per server before the measured one: the client's own code runs compiled by then. */
  private static final int WARM_UP_VOLLEYS = 3;

  private CoalescingClient() {}

  /** One viewer's outcome; times in nanoseconds from the common start. */
  private record Viewer(int status, long bytes, long firstByteNanos, long lastByteNanos) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: CoalescingClient LABEL URL ORIGIN_BASE [viewers] [expectedBytes]");
    }
    String label = args[0];
    URI url = URI.create(args[1]);
    String origin = args[2];
    int viewers = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    long expected = args.length > 4 ? Long.parseLong(args[4]) : 1024 * 1024;

    // HTTP/1.1 opens one connection per concurrent request. The warm-up volleys leave `viewers`
    // keep-alive connections to each server in the pool (and warm both JVMs), so the measured
    // volleys time the servers, not TCP set-up in a client competing for the same 2 cores.
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    URI direct =
        URI.create(
            origin + url.getRawPath().replaceFirst("^/stream/([^/]+)/", "/stream/$1-direct/"));
    for (int i = 0; i < WARM_UP_VOLLEYS; i++) {
      warmUp(client, url.resolve("/stream/warm/source/0.ts"), viewers);
      warmUp(client, direct.resolve("/stream/warm/source/0.ts"), viewers);
    }
    List<Viewer> baseline = volley(client, direct, viewers);
    List<Viewer> results = volley(client, url, viewers);
    long ok = results.stream().filter(v -> v.status() == 200 && v.bytes() == expected).count();
    if (baseline.stream().anyMatch(v -> v.status() != 200 || v.bytes() != expected)) {
      throw new IllegalStateException("the origin did not answer every direct viewer in full");
    }

    HttpClient control = HttpClient.newHttpClient();
    String count =
        control
            .send(
                HttpRequest.newBuilder(URI.create(origin + "/_count?path=" + url.getRawPath()))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body()
            .trim();

    double[] ttfb = millis(results.stream().mapToLong(Viewer::firstByteNanos).toArray());
    double[] ttlb = millis(results.stream().mapToLong(Viewer::lastByteNanos).toArray());
    double[] directTtfb = millis(baseline.stream().mapToLong(Viewer::firstByteNanos).toArray());
    System.out.printf(
        Locale.ROOT,
        "origin direct: %d viewers, first byte p50/p99/max %.0f/%.0f/%.0f ms%n",
        viewers,
        pct(directTtfb, 50),
        pct(directTtfb, 99),
        directTtfb[directTtfb.length - 1]);
    System.out.printf(
        Locale.ROOT,
        "%s: %d viewers, %d complete (200, %d bytes), upstream fetches %s, "
            + "first byte p50/p99/max %.0f/%.0f/%.0f ms, last byte p50/p99/max %.0f/%.0f/%.0f ms%n",
        label,
        viewers,
        ok,
        expected,
        count,
        pct(ttfb, 50),
        pct(ttfb, 99),
        ttfb[ttfb.length - 1],
        pct(ttlb, 50),
        pct(ttlb, 99),
        ttlb[ttlb.length - 1]);
    System.out.printf(
        Locale.ROOT,
        "RESULT %s %s %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f%n",
        label,
        count,
        viewers,
        ok,
        pct(ttfb, 50),
        pct(ttfb, 99),
        ttfb[ttfb.length - 1],
        pct(ttlb, 50),
        pct(ttlb, 99),
        ttlb[ttlb.length - 1],
        pct(directTtfb, 50),
        pct(directTtfb, 99),
        directTtfb[directTtfb.length - 1]);
    System.exit(ok == viewers ? 0 : 1);
  }

  private static void warmUp(HttpClient client, URI warm, int n) {
    for (Viewer v : volley(client, warm, n)) {
      if (v.status() != 200) {
        throw new IllegalStateException("warm-up " + warm + " answered " + v.status());
      }
    }
  }

  /** Fires {@code n} GETs of {@code url} at once and waits for all of them. */
  private static List<Viewer> volley(HttpClient client, URI url, int n) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET().build();
    long start = System.nanoTime();
    List<CompletableFuture<Viewer>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          client
              .sendAsync(request, info -> new Timing(info.statusCode(), start))
              .thenApply(HttpResponse::body));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return all.stream().map(CompletableFuture::join).toList();
  }

  private static double[] millis(long[] nanos) {
    return Arrays.stream(nanos).sorted().mapToDouble(n -> n / 1e6).toArray();
  }

  /** Nearest-rank percentile of sorted values. */
  private static double pct(double[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** Counts body bytes and notes when the first and the last arrived. */
  private static final class Timing implements HttpResponse.BodySubscriber<Viewer> {
    private final int status;
    private final long start;
    private final CompletableFuture<Viewer> result = new CompletableFuture<>();
    private long bytes;
    private long first = -1;

    Timing(int status, long start) {
      this.status = status;
      this.start = start;
    }

    @Override
    public CompletionStage<Viewer> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (b.hasRemaining() && first < 0) {
          first = System.nanoTime() - start;
        }
        bytes += b.remaining();
      }
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      long last = System.nanoTime() - start;
      result.complete(new Viewer(status, bytes, first < 0 ? last : first, last));
    }
  }
}
