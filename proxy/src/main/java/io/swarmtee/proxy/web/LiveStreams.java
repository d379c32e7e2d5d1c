package io.swarmtee.proxy.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The live streams swarmtee has seen recently: a stream counts as live while a viewer got one of
 * its playlists or segments from the upstream with status 200, or the upstream's {@code /status}
 * listed it, within the last {@code window}. Stream ids are whatever the upstream serves (an RTMP
 * publisher chooses them): they are kept verbatim and must be escaped by whoever shows them.
 *
 * <p>Bounded: at most {@code capacity} streams are remembered, the least recently seen are
 * forgotten first. Thread-safe (called from every event loop).
 */
final class LiveStreams {

  /** How swarmtee learnt of a stream. */
  enum Source {
    /** a viewer's request under the playback prefix was answered 200 */
    VIEWERS,
    /** the upstream's {@code /status} lists it under {@code Manifests} */
    STATUS;

    String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One live stream; {@code sources} not empty. */
  record Stream(String id, Instant firstSeen, Instant lastSeen, Set<Source> sources) {
    Stream {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(firstSeen, "firstSeen");
      Objects.requireNonNull(lastSeen, "lastSeen");
      sources = Set.copyOf(sources);
    }
  }

  private static final class Entry {
    final Instant first;
    final Map<Source, Instant> last = new java.util.EnumMap<>(Source.class);

    Entry(Instant first) {
      this.first = first;
    }
  }

  private final Clock clock;
  private final Duration window;
  private final int capacity;
  private final Map<String, Entry> seen = new LinkedHashMap<>();

  LiveStreams(Clock clock, Duration window, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * @return how long a stream stays listed after it was last seen
   */
  Duration window() {
    return window;
  }

  /**
   * The stream a path under the playback prefix belongs to: {@code {prefix}{id}.m3u8} (master) or
   * {@code {prefix}{id}/…} (media playlists, segments).
   *
   * @param path decoded request path
   * @return the stream id, empty for paths that name none
   */
  static Optional<String> streamOf(String prefix, String path) {
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return Optional.empty();
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash > 0) {
      return Optional.of(rest.substring(0, slash));
    }
    return slash < 0 && rest.endsWith(".m3u8") && rest.length() > ".m3u8".length()
        ? Optional.of(rest.substring(0, rest.length() - ".m3u8".length()))
        : Optional.empty();
  }

  /** Records that {@code source} saw {@code id} now. */
  synchronized void saw(String id, Source source) {
    Instant now = clock.instant();
    Entry e = seen.remove(id);
    if (e == null) {
      e = new Entry(now);
    }
    e.last.put(source, now);
    seen.put(id, e); // re-inserted: the map's order is least recently seen first
    while (seen.size() > capacity) {
      seen.remove(seen.keySet().iterator().next());
    }
  }

  /** Records the ids the upstream's {@code /status} lists now. */
  void listed(Collection<String> ids) {
    ids.forEach(id -> saw(id, Source.STATUS));
  }

  /**
   * @return the streams seen within the window, newest first (by first sight, so rows do not move)
   */
  synchronized List<Stream> current() {
    Instant since = clock.instant().minus(window);
    seen.values().removeIf(e -> e.last.values().stream().noneMatch(t -> t.isAfter(since)));
    return seen.entrySet().stream()
        .map(
            e -> {
              Set<Source> sources = EnumSet.noneOf(Source.class);
              e.getValue()
                  .last
                  .forEach(
                      (s, t) -> {
                        if (t.isAfter(since)) {
                          sources.add(s);
                        }
                      });
              Instant last =
                  e.getValue().last.values().stream().max(Comparator.naturalOrder()).orElseThrow();
              return new Stream(e.getKey(), e.getValue().first, last, sources);
            })
        .sorted(Comparator.comparing(Stream::firstSeen).reversed().thenComparing(Stream::id))
        .toList();
  }
}
