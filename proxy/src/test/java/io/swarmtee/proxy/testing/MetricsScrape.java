package io.swarmtee.proxy.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * One scrape of a Prometheus text exposition, reduced to the sum of every metric's series (labels
 * ignored) and the number of series.
 *
 * @param sums metric name (as exposed, with suffixes such as {@code _total}) → sum over its series
 * @param series sample lines in the exposition
 */
public record MetricsScrape(Map<String, Double> sums, int series) {

  public MetricsScrape {
    sums = Map.copyOf(sums);
  }

  /** @throws IllegalArgumentException on a sample line that is not {@code name[{labels}] value} */
  public static MetricsScrape parse(String exposition) {
    Map<String, Double> sums = new HashMap<>();
    int series = 0;
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = brace >= 0 ? line.indexOf(' ', line.lastIndexOf('}')) : line.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      String name = line.substring(0, brace >= 0 ? brace : space);
      String value = line.substring(space + 1).trim().split(" ")[0];
      double v = switch (value) {
        case "NaN" -> Double.NaN;
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value);
      };
      sums.merge(name, v, Double::sum);
      series++;
    }
    return new MetricsScrape(sums, series);
  }

  /** @throws IllegalStateException if the scrape has no such metric (a renamed gauge fails loudly) */
  public double value(String name) {
    Double v = sums.get(name);
    if (v == null) {
      throw new IllegalStateException("metric " + name + " is not exported");
    }
    return v;
  }
}
