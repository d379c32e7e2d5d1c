package io.swarmtee.proxy.shield;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.PlaylistParseException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells from two successive versions of a media playlist whether the upstream restarted the stream
 * under the same id without a 404 in between (an encoder reconnecting at once): its media sequence
 * or its last segment went back, or the segment it lists last at the same position has another URI.
 * Segment paths of a restarted go-livepeer stream are those of the old run ({@code
 * /stream/{id}/{rendition}/0.ts} again), so the shield must then forget the old run's segments, or
 * it would serve them for the new run. Of the earlier version only its {@link Mark} is needed, so
 * the shield keeps that rather than the playlist. Parsed with {@code manifest}'s codec; not a media
 * playlist (a master, garbage) is never a restart.
 */
final class UpstreamRestart {

  private UpstreamRestart() {}

  /** What of a media playlist version the next is compared with: its window and last URI. */
  record Mark(long mediaSequence, long lastSeq, String lastUri) {
    Mark {
      Objects.requireNonNull(lastUri, "lastUri");
    }

    /**
     * @return the mark of {@code p}, empty if it lists no segment
     */
    static Optional<Mark> of(MediaPlaylist p) {
      List<MediaSegment> s = p.segments();
      return s.isEmpty()
          ? Optional.empty()
          : Optional.of(
              new Mark(p.mediaSequence(), p.mediaSequence() + s.size() - 1, s.getLast().uri()));
    }
  }

  /**
   * @return {@code body} as a media playlist, empty if it is none (a master, garbage)
   */
  static Optional<MediaPlaylist> media(Buffer body) {
    try {
      return Optional.of(MediaPlaylist.parse(body.toString(StandardCharsets.UTF_8)));
    } catch (PlaylistParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * @return whether {@code now}, fetched after the version marked {@code before}, is a new run
   */
  static boolean since(Mark before, MediaPlaylist now) {
    List<MediaSegment> b = now.segments();
    if (b.isEmpty()) {
      return false;
    }
    if (now.mediaSequence() < before.mediaSequence()) {
      return true;
    }
    long lastAfter = now.mediaSequence() + b.size() - 1;
    if (lastAfter < before.lastSeq()) {
      return true; // the window went back: a new run numbering from the start again
    }
    // The same position listed with another URI: the upstream renamed its segments (a new run).
    int i = (int) (before.lastSeq() - now.mediaSequence());
    return i >= 0 && i < b.size() && !b.get(i).uri().equals(before.lastUri());
  }

  /**
   * @return whether {@code after}, fetched after {@code before}, is a new run of the stream
   */
  static boolean between(Buffer before, Buffer after) {
    Optional<Mark> old = media(before).flatMap(Mark::of);
    Optional<MediaPlaylist> now = media(after);
    return old.isPresent() && now.isPresent() && since(old.get(), now.get());
  }
}
