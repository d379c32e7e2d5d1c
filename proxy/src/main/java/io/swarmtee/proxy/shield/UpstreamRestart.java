package io.swarmtee.proxy.shield;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.PlaylistParseException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells from two successive versions of a media playlist whether the upstream restarted the stream
 * under the same id without a 404 in between (an encoder reconnecting at once): its media sequence
 * or its last segment went back, or the segment it lists last at the same position has another URI.
 * Segment paths of a restarted go-livepeer stream are those of the old run ({@code
 * /stream/{id}/{rendition}/0.ts} again), so the shield must then forget the old run's segments, or
 * it would serve them for the new run. Parsed with {@code manifest}'s codec; not a media playlist
 * (a master, garbage) is never a restart.
 */
final class UpstreamRestart {

  private UpstreamRestart() {}

  /**
   * @return whether {@code after}, fetched after {@code before}, is a new run of the stream
   */
  static boolean between(Buffer before, Buffer after) {
    MediaPlaylist old;
    MediaPlaylist now;
    try {
      old = MediaPlaylist.parse(before.toString(StandardCharsets.UTF_8));
      now = MediaPlaylist.parse(after.toString(StandardCharsets.UTF_8));
    } catch (PlaylistParseException | RuntimeException e) {
      return false;
    }
    List<MediaSegment> a = old.segments();
    List<MediaSegment> b = now.segments();
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    if (now.mediaSequence() < old.mediaSequence()) {
      return true;
    }
    long lastBefore = old.mediaSequence() + a.size() - 1;
    long lastAfter = now.mediaSequence() + b.size() - 1;
    if (lastAfter < lastBefore) {
      return true; // the window went back: a new run numbering from the start again
    }
    // The same position listed with another URI: the upstream renamed its segments (a new run).
    int i = (int) (lastBefore - now.mediaSequence());
    return i >= 0 && i < b.size() && !b.get(i).uri().equals(a.getLast().uri());
  }
}
