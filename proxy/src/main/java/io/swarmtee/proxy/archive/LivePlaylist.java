package io.swarmtee.proxy.archive;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The little the archiver reads from an upstream playlist: variants of a master, entries of a media
 * playlist. Lenient: unknown tags are ignored, CRLF accepted; a text that is not a playlist is a
 * {@link LivePlaylistException}.
 */
final class LivePlaylist {

  private LivePlaylist() {}

  /** One {@code #EXT-X-STREAM-INF} of a master playlist. */
  record Variant(String uri, OptionalLong bandwidth, Optional<String> resolution) {
    Variant {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(bandwidth, "bandwidth");
      Objects.requireNonNull(resolution, "resolution");
    }
  }

  /** One media segment as listed upstream (URI as written, maybe relative). */
  record Entry(
      String uri, double duration, Optional<Instant> programDateTime, Optional<String> mapUri) {
    Entry {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(programDateTime, "programDateTime");
      Objects.requireNonNull(mapUri, "mapUri");
    }
  }

  /** A media playlist: its target duration (seconds) and entries in order. */
  record Media(int targetDuration, List<Entry> entries, boolean ended) {
    Media {
      entries = List.copyOf(entries);
    }
  }

  /** Thrown for a text that is not an HLS playlist of the expected kind. */
  static final class LivePlaylistException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LivePlaylistException(String message) {
      super(message);
    }
  }

  static boolean isMaster(String text) {
    return text.contains("#EXT-X-STREAM-INF");
  }

  static List<Variant> parseMaster(String text) {
    List<Variant> variants = new ArrayList<>();
    Map<String, String> pending = null;
    for (String raw : lines(text)) {
      String line = raw.strip();
      if (line.startsWith("#EXT-X-STREAM-INF:")) {
        pending = attributes(line.substring("#EXT-X-STREAM-INF:".length()));
      } else if (!line.isEmpty() && !line.startsWith("#") && pending != null) {
        String bw = pending.get("BANDWIDTH");
        OptionalLong bandwidth = OptionalLong.empty();
        if (bw != null) {
          try {
            bandwidth = OptionalLong.of(Long.parseLong(bw));
          } catch (NumberFormatException e) {
            bandwidth = OptionalLong.empty();
          }
        }
        variants.add(new Variant(line, bandwidth, Optional.ofNullable(pending.get("RESOLUTION"))));
        pending = null;
      }
    }
    return variants;
  }

  static Media parseMedia(String text) {
    int target = 0;
    boolean ended = false;
    List<Entry> entries = new ArrayList<>();
    Double duration = null;
    Instant pdt = null;
    String map = null;
    for (String raw : lines(text)) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#EXT-X-TARGETDURATION:")) {
        target = (int) Math.ceil(number(line.substring(22)));
      } else if (line.startsWith("#EXTINF:")) {
        String v = line.substring(8);
        int comma = v.indexOf(',');
        duration = number(comma >= 0 ? v.substring(0, comma) : v);
      } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        try {
          Instant t = OffsetDateTime.parse(line.substring(25).strip()).toInstant();
          if (duration != null || entries.isEmpty() || pdt == null) {
            pdt = t;
          }
        } catch (DateTimeParseException e) {
          pdt = null;
        }
      } else if (line.startsWith("#EXT-X-MAP:")) {
        map = attributes(line.substring(11)).get("URI");
      } else if (line.equals("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (!line.startsWith("#")) {
        if (duration == null) {
          throw new LivePlaylistException("segment URI without #EXTINF: " + line);
        }
        entries.add(new Entry(line, duration, Optional.ofNullable(pdt), Optional.ofNullable(map)));
        duration = null;
        pdt = null;
      }
    }
    if (!text.stripLeading().startsWith("#EXTM3U")) {
      throw new LivePlaylistException("not an HLS playlist (no #EXTM3U)");
    }
    return new Media(Math.max(1, target), entries, ended);
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new LivePlaylistException("not a number: " + s);
    }
  }

  private static List<String> lines(String text) {
    if (!text.stripLeading().startsWith("#EXTM3U")) {
      throw new LivePlaylistException("not an HLS playlist (no #EXTM3U)");
    }
    return text.lines().toList();
  }

  /** Parses an attribute list {@code A=1,B="x,y"}; quotes removed. */
  static Map<String, String> attributes(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      int eq = list.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = list.substring(i, eq).strip();
      int j = eq + 1;
      String value;
      if (j < n && list.charAt(j) == '"') {
        int close = list.indexOf('"', j + 1);
        if (close < 0) {
          close = n;
        }
        value = list.substring(j + 1, close);
        j = close + 1;
        int comma = list.indexOf(',', j);
        j = comma < 0 ? n : comma + 1;
      } else {
        int comma = list.indexOf(',', j);
        value = list.substring(j, comma < 0 ? n : comma).strip();
        j = comma < 0 ? n : comma + 1;
      }
      out.put(name, value);
      i = j;
    }
    return out;
  }
}
