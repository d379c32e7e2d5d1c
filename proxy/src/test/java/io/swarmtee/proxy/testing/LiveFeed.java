package io.swarmtee.proxy.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ffmpeg encoding in real time ({@code -re}) into a directory, and a watcher that publishes each
 * segment on a {@link LivepeerOrigin.OriginStream} as soon as ffmpeg's playlists list it for every
 * rendition — a truly live stream. When ffmpeg has exited, everything is published and the last
 * segment was fetched, the stream ends (404 at once).
 */
public final class LiveFeed {

  private final Process ffmpeg;
  private final Promise<Integer> ended = Promise.promise();
  private final AtomicInteger published = new AtomicInteger();

  private LiveFeed(Process ffmpeg) {
    this.ffmpeg = ffmpeg;
  }

  /**
   * Starts ffmpeg for {@code seconds} of video and the watcher (directory polled every 100 ms on a
   * worker).
   *
   * @return the feed; {@link #ended()} tells how many segments it published
   */
  public static LiveFeed start(
      Vertx vertx, Path dir, int seconds, LivepeerOrigin.OriginStream stream) throws IOException {
    Files.createDirectories(dir);
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      Files.createDirectories(dir.resolve(r.name()));
    }
    List<String> cmd = HlsRecording.ffmpegCommand(dir, true, HlsRecording.Format.TS);
    cmd.addAll(cmd.indexOf("-filter_complex"), List.of("-t", String.valueOf(seconds)));
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ffmpeg.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IOException(
          "ffmpeg is required by this test (bash .ci/install.sh): " + e.getMessage(), e);
    }
    LiveFeed feed = new LiveFeed(p);
    vertx.setPeriodic(
        100,
        id ->
            vertx
                .<Boolean>executeBlocking(() -> feed.publishReady(dir, stream))
                .onSuccess(
                    done -> {
                      if (done) {
                        vertx.cancelTimer(id);
                        // The stream ends once its last segment was fetched: what a test can check
                        // is then exact.
                        int n = feed.published.get();
                        stream
                            .served(n - 1)
                            .onComplete(
                                ar -> {
                                  stream.end();
                                  feed.ended.tryComplete(n);
                                });
                      }
                    })
                .onFailure(
                    e -> {
                      vertx.cancelTimer(id);
                      feed.ended.tryFail(e);
                    }));
    return feed;
  }

  /**
   * @return true once ffmpeg exited and every segment it wrote is published
   */
  private boolean publishReady(Path dir, LivepeerOrigin.OriginStream stream) throws IOException {
    boolean exited = !ffmpeg.isAlive();
    if (exited && ffmpeg.exitValue() != 0) {
      throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
    }
    HlsRecording now = HlsRecording.read(dir);
    while (published.get() < now.size()) {
      Map<String, HlsRecording.Segment> next = new LinkedHashMap<>();
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        next.put(r.name(), now.segments(r.name()).get(published.get()));
      }
      stream.publish(next);
      published.incrementAndGet();
    }
    return exited && published.get() == now.size();
  }

  /**
   * @return completes with the number of segments per rendition once the stream ended
   */
  public Future<Integer> ended() {
    return ended.future();
  }

  /**
   * @return what ffmpeg wrote, once it ended
   */
  public static List<Double> durations(Path dir, String rendition) throws IOException {
    List<Double> out = new ArrayList<>();
    HlsRecording.readRendition(dir.resolve(rendition)).forEach(s -> out.add(s.duration()));
    return out;
  }
}
