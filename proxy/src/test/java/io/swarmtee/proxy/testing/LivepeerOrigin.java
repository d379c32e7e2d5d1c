package io.swarmtee.proxy.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test upstream with go-livepeer's HLS layout and behaviour (FACTS.md §1): master at {@code
 * /stream/{id}.m3u8} with relative variant URIs {@code {id}/{rendition}.m3u8}, no CODECS, {@code
 * PROGRAM-ID=0,BANDWIDTH,RESOLUTION}; media at {@code /stream/{id}/{rendition}.m3u8} with
 * root-relative segment URIs {@code /stream/{id}/{rendition}/{seq}.ts}, a 6-segment window,
 * MEDIA-SEQUENCE counting the segments dropped from the window, {@code #EXTINF:x.xxx,}, a
 * TARGETDURATION that only grows, no ENDLIST or PDT; segment bytes kept in a ring of 12 per
 * rendition, older ones 404; {@code .ts} served as {@code text/vnd.trolltech.linguist}; {@code
 * Cache-Control: max-age=5} and CORS on every answer, 404s included; 404 for everything before the
 * first segment and after the end.
 *
 * <p>An {@linkplain #fmp4Stream fMP4 stream} has the same layout with fMP4 (go-livepeer itself
 * serves only MPEG-TS): segments {@code /stream/{id}/{rendition}/{seq}.m4s} after {@code
 * #EXT-X-MAP:URI="/stream/{id}/{rendition}/init.mp4"}, {@code #EXT-X-VERSION:7}, both served as
 * {@code video/mp4}.
 *
 * <p>Time is the test's: {@link OriginStream#publish} adds the next segment of every rendition.
 * Segments come from a {@link HlsRecording} (real ffmpeg output), or from ffmpeg running live
 * ({@link LiveFeed}). Thread-safe.
 */
public final class LivepeerOrigin {

  /** Window of a media playlist, as go-livepeer's. */
  public static final int WINDOW = 6;

  /** Segments kept per rendition, as go-livepeer's ring. */
  public static final int RING = 12;

  private final String prefix;
  private final Pattern masterPath;
  private final Pattern mediaPath;
  private final Pattern segmentPath;
  private final Pattern initPath;

  private final Map<String, OriginStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> segmentRequests = new ConcurrentHashMap<>();
  private HttpServer server;

  private LivepeerOrigin(String prefix) {
    this.prefix = prefix;
    String p = Pattern.quote(prefix);
    this.masterPath = Pattern.compile("^" + p + "([^/]+)\\.m3u8$");
    this.mediaPath = Pattern.compile("^" + p + "([^/]+)/([^/]+)\\.m3u8$");
    this.segmentPath = Pattern.compile("^" + p + "([^/]+)/([^/]+)/(\\d+)\\.(ts|m4s)$");
    this.initPath = Pattern.compile("^" + p + "([^/]+)/([^/]+)/init\\.mp4$");
  }

  /** Starts on a free port of 127.0.0.1, serving streams under go-livepeer's {@code /stream/}. */
  public static Future<LivepeerOrigin> start(Vertx vertx) {
    return start(vertx, "/stream/");
  }

  /**
   * Starts on a free port of 127.0.0.1, serving streams under {@code prefix} (as a gateway in front
   * of go-livepeer that mounts it elsewhere would) instead of {@code /stream/}.
   */
  public static Future<LivepeerOrigin> start(Vertx vertx, String prefix) {
    LivepeerOrigin origin = new LivepeerOrigin(prefix);
    return vertx
        .createHttpServer()
        .requestHandler(origin::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              origin.server = s;
              return origin;
            });
  }

  /**
   * @param streamIds the stream names to list, in order (any text: whoever publishes chooses them)
   * @return a body of go-livepeer's {@code /status} as the archiver and the web page read it: each
   *     stream a key of {@code Manifests}
   */
  public static String statusJson(String... streamIds) {
    JsonObject manifests = new JsonObject();
    for (String id : streamIds) {
      manifests.put(id, new JsonObject());
    }
    return new JsonObject().put("Manifests", manifests).encode();
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server.close();
  }

  /**
   * @return requests answered so far
   */
  public long requests() {
    return requests.get();
  }

  /**
   * @return how often the segment (or init section) at {@code path} was requested
   */
  public long segmentRequests(String path) {
    AtomicLong n = segmentRequests.get(path);
    return n == null ? 0 : n.get();
  }

  /**
   * @param renditions name → (bandwidth, resolution) in master order
   * @return a stream that answers 404 until its first {@link OriginStream#publish}
   */
  public OriginStream stream(String id, List<HlsRecording.Rendition> renditions) {
    OriginStream s = new OriginStream(prefix, id, renditions, Map.of());
    streams.put(id, s);
    return s;
  }

  /**
   * @param initSections rendition → its fMP4 init section, one per rendition of {@code renditions}
   * @return an fMP4 stream that answers 404 until its first {@link OriginStream#publish}
   */
  public OriginStream fmp4Stream(
      String id, List<HlsRecording.Rendition> renditions, Map<String, Buffer> initSections) {
    for (HlsRecording.Rendition r : renditions) {
      Objects.requireNonNull(initSections.get(r.name()), "init section of " + r.name());
    }
    OriginStream s = new OriginStream(prefix, id, renditions, initSections);
    streams.put(id, s);
    return s;
  }

  /** One segment of one rendition as the origin holds it. */
  private static final class Slot {
    final long seq;
    final double duration;
    final Buffer bytes;

    Slot(long seq, double duration, Buffer bytes) {
      this.seq = seq;
      this.duration = duration;
      this.bytes = bytes;
    }
  }

  /** A stream on the origin; all methods thread-safe. */
  public static final class OriginStream {
    private final String prefix;
    private final String id;
    private final List<HlsRecording.Rendition> renditions;
    private final Map<String, Buffer> initSections;
    private final Map<String, List<Slot>> slots = new LinkedHashMap<>();
    private final Map<String, Integer> targetDuration = new LinkedHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean live;
    private boolean held;
    private Promise<Void> initGate;
    private long published;

    private record Waiter(Set<String> remaining, Promise<Void> promise) {}

    private record SegmentWaiter(long seq, Set<String> remaining, Promise<Void> promise) {}

    private final List<SegmentWaiter> segmentWaiters = new ArrayList<>();

    /** The seq {@link #segmentServed} records an init section under. */
    private static final long INIT_SEQ = -1;

    private final Set<String> servedSegments = new HashSet<>();
    private final Set<String> forgotten = new HashSet<>();

    private OriginStream(
        String prefix,
        String id,
        List<HlsRecording.Rendition> renditions,
        Map<String, Buffer> initSections) {
      this.prefix = prefix;
      this.id = id;
      this.renditions = List.copyOf(renditions);
      this.initSections = Map.copyOf(initSections);
      reset();
    }

    private void reset() {
      slots.clear();
      targetDuration.clear();
      servedSegments.clear();
      for (HlsRecording.Rendition r : renditions) {
        slots.put(r.name(), new ArrayList<>());
        targetDuration.put(r.name(), 0);
      }
      published = 0;
    }

    public String id() {
      return id;
    }

    /**
     * @return segments published per rendition since the start (or restart)
     */
    public synchronized long published() {
      return published;
    }

    /**
     * Publishes the next segment of every rendition: {@code segments} has one entry per rendition.
     */
    public synchronized void publish(Map<String, HlsRecording.Segment> segments) {
      for (HlsRecording.Rendition r : renditions) {
        HlsRecording.Segment s = Objects.requireNonNull(segments.get(r.name()), r.name());
        List<Slot> list = slots.get(r.name());
        list.add(new Slot(published, s.duration(), s.bytes()));
        if (list.size() > RING) {
          list.removeFirst();
        }
        targetDuration.merge(r.name(), (int) Math.ceil(s.duration() - 1e-6), Math::max);
      }
      published++;
      live = true;
    }

    /** Publishes segment {@code index} of {@code recording} as the next one. */
    public void publish(HlsRecording recording, int index) {
      Map<String, HlsRecording.Segment> next = new LinkedHashMap<>();
      for (HlsRecording.Rendition r : renditions) {
        next.put(r.name(), recording.segments(r.name()).get(index));
      }
      publish(next);
    }

    /**
     * Publishes segments {@code from} to {@code count − 1} of {@code recording}, each once every
     * media playlist was polled after the one before (as a live origin grows at the reader's pace).
     *
     * @return completed once segments 0 to {@code count − 1} of every rendition were served
     */
    public Future<Void> publishFollowed(HlsRecording recording, int from, int count) {
      Future<Void> published = Future.succeededFuture();
      for (int i = from; i < count; i++) {
        int index = i;
        published =
            published.compose(
                v -> {
                  Future<Void> polled = mediaPolled();
                  publish(recording, index);
                  return polled;
                });
      }
      return published.compose(
          v -> {
            List<Future<Void>> all = new ArrayList<>();
            for (long seq = 0; seq < count; seq++) {
              all.add(served(seq));
            }
            return Future.all(all).mapEmpty();
          });
    }

    /** The stream ends: master, media playlists and segments all answer 404 at once. */
    public synchronized void end() {
      live = false;
    }

    /**
     * The stream starts again under the same id (seq numbers from 0), 404 until the next publish.
     */
    public synchronized void restart() {
      live = false;
      reset();
    }

    /** While held, media playlists answer 503 (an overloaded gateway): nobody sees new segments. */
    public synchronized void hold(boolean h) {
      held = h;
    }

    /**
     * Until the returned action runs, requests for init sections wait unanswered (a slow origin).
     *
     * @return releases the waiting requests and answers later ones at once
     */
    public synchronized Runnable holdInitSections() {
      Promise<Void> gate = Promise.promise();
      initGate = gate;
      return () -> {
        synchronized (this) {
          initGate = null;
        }
        gate.tryComplete();
      };
    }

    private synchronized Future<Void> initGate() {
      return initGate == null ? Future.succeededFuture() : initGate.future();
    }

    private synchronized boolean held() {
      return held;
    }

    /**
     * Makes a segment (already published or still to come) answer 404 while it is listed, as when
     * it left go-livepeer's ring before anyone fetched it.
     */
    public synchronized void forget(String rendition, long seq) {
      forgotten.add(rendition + "/" + seq);
    }

    /**
     * Makes {@code rendition}'s init section answer 404 for good (fMP4 streams); its requests still
     * count as {@linkplain #initSectionsServed served}.
     */
    public synchronized void refuseInitSection(String rendition) {
      forgotten.add(rendition + "/init");
    }

    /**
     * @return completed once every rendition's media playlist has been served after this call
     */
    public synchronized Future<Void> mediaPolled() {
      Promise<Void> p = Promise.promise();
      Set<String> all = new HashSet<>();
      renditions.forEach(r -> all.add(r.name()));
      waiters.add(new Waiter(all, p));
      return p.future();
    }

    /**
     * @return completed once segment {@code seq} of every rendition has been requested (answered
     *     200, or 404 if it was {@link #forget forgotten})
     */
    public synchronized Future<Void> served(long seq) {
      Promise<Void> p = Promise.promise();
      Set<String> all = new HashSet<>();
      renditions.forEach(r -> all.add(r.name()));
      all.removeIf(r -> servedSegments.contains(r + "/" + seq));
      if (all.isEmpty()) {
        return Future.succeededFuture();
      }
      segmentWaiters.add(new SegmentWaiter(seq, all, p));
      return p.future();
    }

    /**
     * @return completed once the init section of every rendition has been requested (fMP4 streams)
     */
    public Future<Void> initSectionsServed() {
      return served(INIT_SEQ);
    }

    private void segmentServed(String rendition, long seq) {
      List<Promise<Void>> done = new ArrayList<>();
      synchronized (this) {
        servedSegments.add(rendition + "/" + seq);
        segmentWaiters.removeIf(
            w -> {
              if (w.seq() == seq) {
                w.remaining().remove(rendition);
              }
              return w.remaining().isEmpty() && done.add(w.promise());
            });
      }
      // Completed outside the lock and the iteration: a waiter's continuation may register the next
      // waiter.
      done.forEach(Promise::complete);
    }

    private synchronized String master() {
      StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
      for (HlsRecording.Rendition r : renditions) {
        b.append("#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=")
            .append(r.bandwidth())
            .append(",RESOLUTION=")
            .append(r.resolution())
            .append('\n')
            .append(id)
            .append('/')
            .append(r.name())
            .append(".m3u8\n");
      }
      return b.toString();
    }

    private synchronized String media(String rendition) {
      List<Slot> list = slots.get(rendition);
      int from = Math.max(0, list.size() - WINDOW);
      long dropped = Math.max(0, published - WINDOW);
      boolean fmp4 = !initSections.isEmpty();
      StringBuilder b =
          new StringBuilder("#EXTM3U\n#EXT-X-VERSION:").append(fmp4 ? 7 : 3).append('\n');
      b.append("#EXT-X-MEDIA-SEQUENCE:").append(dropped).append('\n');
      b.append("#EXT-X-TARGETDURATION:").append(targetDuration.get(rendition)).append('\n');
      if (fmp4) {
        b.append("#EXT-X-MAP:URI=\"")
            .append(prefix)
            .append(id)
            .append('/')
            .append(rendition)
            .append("/init.mp4\"\n");
      }
      for (Slot s : list.subList(from, list.size())) {
        b.append(String.format(Locale.ROOT, "#EXTINF:%.3f,\n", s.duration));
        b.append(prefix)
            .append(id)
            .append('/')
            .append(rendition)
            .append('/')
            .append(s.seq)
            .append(fmp4 ? ".m4s\n" : ".ts\n");
      }
      return b.toString();
    }

    private void polled(String rendition) {
      List<Promise<Void>> done = new ArrayList<>();
      synchronized (this) {
        waiters.removeIf(
            w -> {
              w.remaining().remove(rendition);
              return w.remaining().isEmpty() && done.add(w.promise());
            });
      }
      done.forEach(Promise::complete);
    }

    private synchronized Buffer segment(String rendition, long seq) {
      List<Slot> list = slots.get(rendition);
      if (list == null) {
        return null;
      }
      if (forgotten.contains(rendition + "/" + seq)) {
        return null;
      }
      for (Slot s : list) {
        if (s.seq == seq) {
          return s.bytes;
        }
      }
      return null;
    }

    private synchronized Buffer initSection(String rendition) {
      return forgotten.contains(rendition + "/init") ? null : initSections.get(rendition);
    }

    private synchronized boolean fmp4() {
      return !initSections.isEmpty();
    }

    private synchronized boolean live() {
      return live;
    }

    private synchronized boolean has(String rendition) {
      return slots.containsKey(rendition);
    }
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    HttpServerResponse resp =
        req.response()
            .putHeader("Cache-Control", "max-age=5")
            .putHeader("Access-Control-Allow-Origin", "*")
            .putHeader("Access-Control-Expose-Headers", "Content-Length");
    String path = req.path();
    Matcher m;
    if ((m = masterPath.matcher(path)).matches()) {
      OriginStream s = streams.get(m.group(1));
      if (s != null && s.live()) {
        resp.putHeader("Content-Type", "application/x-mpegURL").end(s.master());
        return;
      }
    } else if ((m = mediaPath.matcher(path)).matches()) {
      OriginStream s = streams.get(m.group(1));
      String rendition = m.group(2);
      if (s != null && s.live() && s.held()) {
        resp.setStatusCode(503).end();
        return;
      }
      if (s != null && s.live() && s.has(rendition)) {
        String text = s.media(rendition);
        resp.putHeader("Content-Type", "application/x-mpegURL").end(text);
        s.polled(rendition);
        return;
      }
    } else if ((m = initPath.matcher(path)).matches()) {
      segmentRequests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
      OriginStream s = streams.get(m.group(1));
      String rendition = m.group(2);
      if (s != null) {
        s.initGate()
            .onComplete(
                ar -> {
                  Buffer bytes = s.live() ? s.initSection(rendition) : null;
                  if (s.live()) {
                    s.segmentServed(rendition, OriginStream.INIT_SEQ);
                  }
                  if (bytes == null) {
                    notFound(resp);
                    return;
                  }
                  resp.putHeader("Content-Type", "video/mp4").end(bytes);
                });
        return;
      }
    } else if ((m = segmentPath.matcher(path)).matches()) {
      segmentRequests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
      OriginStream s = streams.get(m.group(1));
      boolean wanted = s != null && s.fmp4() == m.group(4).equals("m4s");
      Buffer bytes =
          !wanted || !s.live() ? null : s.segment(m.group(2), Long.parseLong(m.group(3)));
      if (s != null && s.live()) {
        s.segmentServed(m.group(2), Long.parseLong(m.group(3)));
      }
      if (bytes != null) {
        resp.putHeader("Content-Type", s.fmp4() ? "video/mp4" : "text/vnd.trolltech.linguist")
            .end(bytes);
        return;
      }
    }
    notFound(resp);
  }

  private static void notFound(HttpServerResponse resp) {
    resp.setStatusCode(404)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("404 page not found\n");
  }
}
