package io.swarmtee.manifest;

/**
 * The lowest {@code EXT-X-VERSION} a media playlist's features need (RFC 8216 §7 and its successor
 * draft): 2 for a KEY with IV, 3 for decimal EXTINF durations, 4 for BYTERANGE and I-FRAMES-ONLY, 5
 * for KEYFORMAT and MAP in an I-frame playlist, 6 for MAP otherwise, 8 for DEFINE, 9 for SKIP; 1
 * otherwise.
 */
public final class HlsVersion {

  private HlsVersion() {}

  /**
   * @return the version {@code playlist} must declare
   */
  public static int required(MediaPlaylist playlist) {
    int version = 1;
    boolean iFrames = playlist.iFramesOnly();
    for (Line line : playlist.allLines()) {
      version = Math.max(version, required(line, iFrames));
    }
    return version;
  }

  /**
   * @return the version {@code segment}'s lines need in a playlist without I-FRAMES-ONLY
   */
  public static int required(MediaSegment segment) {
    int version = 1;
    for (Line line : segment.lines()) {
      version = Math.max(version, required(line, false));
    }
    return version;
  }

  /**
   * @return the version one line needs; {@code iFramesOnly} tells whether the playlist is an
   *     I-frame one
   */
  public static int required(Line line, boolean iFramesOnly) {
    if (!(line instanceof Line.TagLine tag)) {
      return 1;
    }
    return switch (tag) {
      case Line.Inf inf -> inf.duration().scale() > 0 ? 3 : 1;
      case Line.ByteRange r -> 4;
      case Line.Flag f when f.tag() == Tag.I_FRAMES_ONLY -> 4;
      case Line.Attributes a when a.tag() == Tag.MAP -> iFramesOnly ? 5 : 6;
      case Line.Attributes a when a.tag() == Tag.KEY ->
          a.attributes().has("KEYFORMAT") || a.attributes().has("KEYFORMATVERSIONS")
              ? 5
              : a.attributes().has("IV") ? 2 : 1;
      case Line.Attributes a when a.tag() == Tag.DEFINE -> 8;
      case Line.Attributes a when a.tag() == Tag.SKIP -> 9;
      default -> 1;
    };
  }
}
