package io.swarmtee.manifest;

import java.util.List;

/**
 * Writes playlists as text: {@code #EXTM3U}, then every line in its stored order, each ending in
 * LF. Known tags are written by their {@link Tag}; unknown tags and comments verbatim. Stateless.
 */
public final class PlaylistWriter {

  private PlaylistWriter() {}

  /**
   * @return the playlist's text
   */
  public static String write(Playlist playlist) {
    StringBuilder out = new StringBuilder(estimate(playlist));
    write(playlist, out);
    return out.toString();
  }

  /** Appends the playlist's text to {@code out}. */
  public static void write(Playlist playlist, StringBuilder out) {
    out.append("#EXTM3U\n");
    switch (playlist) {
      case MediaPlaylist media -> {
        writeLines(media.header(), out);
        for (MediaSegment segment : media.segments()) {
          writeSegment(segment, out);
        }
        writeLines(media.trailer(), out);
      }
      case MasterPlaylist master -> {
        writeLines(master.header(), out);
        for (Variant variant : master.variants()) {
          writeLines(variant.lines(), out);
          out.append(variant.uri()).append('\n');
        }
        writeLines(master.trailer(), out);
      }
    }
  }

  /** Appends one segment: its lines, then its URI, each ending in LF. */
  public static void writeSegment(MediaSegment segment, StringBuilder out) {
    writeLines(segment.lines(), out);
    out.append(segment.uri()).append('\n');
  }

  /** Appends lines, each ending in LF. */
  public static void writeLines(List<Line> lines, StringBuilder out) {
    for (Line line : lines) {
      writeLine(line, out);
      out.append('\n');
    }
  }

  /** Appends one line without its LF. */
  public static void writeLine(Line line, StringBuilder out) {
    switch (line) {
      case Line.TagLine tag -> tag.tag().write(tag, out);
      case Line.Unknown unknown -> out.append(unknown.text());
      case Line.Comment comment -> out.append(comment.text());
      case Line.Blank blank -> {}
    }
  }

  private static int estimate(Playlist playlist) {
    return switch (playlist) {
      case MediaPlaylist media -> 256 + 96 * media.segments().size();
      case MasterPlaylist master -> 256 + 128 * master.variants().size();
    };
  }
}
