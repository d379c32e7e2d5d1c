package io.swarmtee.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Lookups over line lists shared by the playlist records. */
final class Lines {

  private Lines() {}

  static Optional<Line.TagLine> first(List<Line> lines, Tag tag) {
    for (Line line : lines) {
      if (line instanceof Line.TagLine t && t.tag() == tag) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  static boolean has(List<Line> lines, Tag tag) {
    return first(lines, tag).isPresent();
  }

  static List<AttributeList> attributes(List<Line> lines, Tag tag) {
    List<AttributeList> found = new ArrayList<>();
    for (Line line : lines) {
      if (line instanceof Line.Attributes a && a.tag() == tag) {
        found.add(a.attributes());
      }
    }
    return found;
  }

  static Optional<AttributeList> firstAttributes(List<Line> lines, Tag tag) {
    return first(lines, tag).map(t -> ((Line.Attributes) t).attributes());
  }

  static Optional<Long> firstInt(List<Line> lines, Tag tag) {
    return first(lines, tag).map(t -> ((Line.Int) t).value());
  }

  /**
   * @param master whether the lines are in a master playlist
   * @throws IllegalArgumentException at the first tag that belongs to the other kind of playlist
   */
  static void checkKind(List<Line> lines, boolean master) {
    for (Line line : lines) {
      if (line instanceof Line.TagLine t
          && t.tag().scope() != Tag.Scope.PLAYLIST
          && (t.tag().scope() == Tag.Scope.MASTER) != master) {
        throw new IllegalArgumentException(
            t.tag().tagName()
                + " does not belong in a "
                + (master ? "master" : "media")
                + " playlist");
      }
    }
  }

  /**
   * @return header, the lines of every entry, and trailer, in order
   */
  static <E> List<Line> concat(
      List<Line> header, List<E> entries, Function<E, List<Line>> linesOf, List<Line> trailer) {
    List<Line> all = new ArrayList<>(header);
    for (E entry : entries) {
      all.addAll(linesOf.apply(entry));
    }
    all.addAll(trailer);
    return all;
  }

  static void checkUri(String uri) {
    if (uri.isEmpty()
        || uri.startsWith("#")
        || uri.indexOf('\n') >= 0
        || uri.indexOf('\r') >= 0
        || Character.isWhitespace(uri.charAt(uri.length() - 1))) {
      throw new IllegalArgumentException("not a URI line: '" + uri + "'");
    }
  }
}
