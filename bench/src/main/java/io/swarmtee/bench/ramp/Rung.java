package io.swarmtee.bench.ramp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One bitrate step of the ramp: the nominal bitrate of a rendition and the picture it is encoded
 * at. Resolution and frame rate grow with the bitrate roughly like a transcoding ladder (144p 10
 * fps at 100 kbit/s … 1080p 60 fps from 12.8 Mbit/s on).
 *
 * @param bitrate nominal bits per second of the rendition (video + audio + MPEG-TS overhead)
 */
public record Rung(long bitrate, int width, int height, int fps) {

  /** The first step: 144p at 10 fps, about 100 kbit/s. */
  public static final long FIRST_BITRATE = 100_000;

  public Rung {
    if (bitrate <= 0
        || width <= 0
        || height <= 0
        || fps <= 0
        || width % 2 != 0
        || height % 2 != 0) {
      throw new IllegalArgumentException(
          "bad rung " + bitrate + " bit/s " + width + "x" + height + "@" + fps);
    }
  }

  /**
   * @return the rung for {@code bitrate}: the picture a ladder would give it
   */
  public static Rung of(long bitrate) {
    long k = bitrate / 1000;
    if (k <= 100) {
      return new Rung(bitrate, 256, 144, 10);
    } else if (k <= 200) {
      return new Rung(bitrate, 256, 144, 25);
    } else if (k <= 400) {
      return new Rung(bitrate, 426, 240, 25);
    } else if (k <= 800) {
      return new Rung(bitrate, 640, 360, 25);
    } else if (k <= 1600) {
      return new Rung(bitrate, 854, 480, 30);
    } else if (k <= 3200) {
      return new Rung(bitrate, 1280, 720, 30);
    } else if (k <= 6400) {
      return new Rung(bitrate, 1920, 1080, 30);
    }
    return new Rung(bitrate, 1920, 1080, 60);
  }

  /**
   * @return {@value #FIRST_BITRATE} bit/s doubling until the first step at or above {@code
   *     maxBitrate} (so 25 Mbit/s gives 9 steps, the last 25.6 Mbit/s)
   */
  public static List<Rung> ladder(long maxBitrate) {
    if (maxBitrate < FIRST_BITRATE) {
      throw new IllegalArgumentException(
          "max bitrate " + maxBitrate + " is below the first step " + FIRST_BITRATE);
    }
    List<Rung> out = new ArrayList<>();
    long b = FIRST_BITRATE;
    while (true) {
      out.add(of(b));
      if (b >= maxBitrate) {
        return List.copyOf(out);
      }
      b *= 2;
    }
  }

  /**
   * @return a go-livepeer style rendition name, e.g. {@code P720p30fps16x9}
   */
  public String rendition() {
    return "P" + height + "p" + fps + "fps16x9";
  }

  /**
   * @return {@code WxH} as a master playlist's RESOLUTION
   */
  public String resolution() {
    return width + "x" + height;
  }

  /**
   * @return e.g. {@code 1.6 Mbit/s} or {@code 400 kbit/s}
   */
  public String label() {
    return bitrate >= 1_000_000
        ? String.format(Locale.ROOT, "%.1f Mbit/s", bitrate / 1e6)
        : (bitrate / 1000) + " kbit/s";
  }
}
