package io.swarmtee.manifest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A variant stream of a master playlist: the lines since the previous variant's URI (exactly one
 * {@code EXT-X-STREAM-INF} among them, plus anything written between) and its URI line, verbatim.
 *
 * @param lines lines between the previous variant's URI and this one's, in order
 * @param uri the media playlist URI as written
 */
public record Variant(List<Line> lines, String uri) {

  public Variant {
    lines = List.copyOf(lines);
    Objects.requireNonNull(uri, "uri");
    Lines.checkUri(uri);
    if (Lines.attributes(lines, Tag.STREAM_INF).size() != 1) {
      throw new IllegalArgumentException("a variant has exactly one EXT-X-STREAM-INF");
    }
    Lines.checkKind(lines, true);
  }

  /**
   * @return a variant of just {@code #EXT-X-STREAM-INF:<attributes>} and the URI
   */
  public static Variant of(AttributeList streamInf, String uri) {
    return new Variant(List.of(new Line.Attributes(Tag.STREAM_INF, streamInf)), uri);
  }

  /**
   * @return the {@code EXT-X-STREAM-INF} attributes
   */
  public AttributeList streamInf() {
    return Lines.firstAttributes(lines, Tag.STREAM_INF).orElseThrow();
  }

  /**
   * @return {@code BANDWIDTH} in bits per second
   */
  public long bandwidth() {
    return streamInf().integer("BANDWIDTH").orElseThrow();
  }

  /**
   * @return {@code AVERAGE-BANDWIDTH}, if written
   */
  public OptionalLong averageBandwidth() {
    return streamInf().integer("AVERAGE-BANDWIDTH");
  }

  /**
   * @return {@code RESOLUTION}, if written
   */
  public Optional<Resolution> resolution() {
    return streamInf().resolution("RESOLUTION");
  }

  /**
   * @return {@code CODECS}, if written
   */
  public Optional<String> codecs() {
    return streamInf().string("CODECS");
  }

  /**
   * @return {@code FRAME-RATE}, if written
   */
  public Optional<BigDecimal> frameRate() {
    return streamInf().decimal("FRAME-RATE");
  }
}
