package io.swarmtee.proxy.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One read of swarmtee's {@code GET /metrics} (Prometheus text format): every sample by name and
 * labels; sums over series ({@link #value} fails loudly on a metric that is not exported), and what
 * a benchmark step needs from two reads — counter deltas and histogram quantiles over the bucket
 * deltas (linear inside a bucket, as PromQL's {@code histogram_quantile}).
 *
 * @param samples the sample lines of the exposition, in order
 */
public record MetricsScrape(List<Sample> samples) {

  /** One line of the exposition. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      Objects.requireNonNull(name, "name");
      labels = Map.copyOf(labels);
    }
  }

  public MetricsScrape {
    samples = List.copyOf(samples);
  }

  /**
   * @throws IllegalArgumentException on a line that is not a sample or a comment
   */
  public static MetricsScrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int close = labels(line, brace + 1, labels);
        space = close + 1;
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String[] rest = line.substring(space).strip().split("\\s+");
      try {
        out.add(new Sample(name, labels, number(rest[0])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a sample: " + line, e);
      }
    }
    return new MetricsScrape(out);
  }

  /** A sample value: a number, or the exposition's {@code NaN}, {@code +Inf}, {@code -Inf}. */
  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text); // also reads NaN
    };
  }

  /** Reads {@code k="v",…} from {@code from}; @return the index of the closing brace */
  private static int labels(String line, int from, Map<String, String> into) {
    int i = from;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char n = line.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        j++;
      }
      into.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i;
  }

  /**
   * @return how many series (sample lines) the exposition has
   */
  public int series() {
    return samples.size();
  }

  /**
   * @return the sum of {@code name} over its series (NaN stays NaN: a gauge whose object is gone)
   * @throws IllegalStateException if the scrape has no such metric (a renamed gauge fails loudly)
   */
  public double value(String name) {
    if (samples.stream().noneMatch(s -> s.name().equals(name))) {
      throw new IllegalStateException("metric " + name + " is not exported");
    }
    return sum(name);
  }

  /**
   * @return the sum of every sample of {@code name} whose labels match (0 when there is none)
   */
  public double sum(String name, Predicate<Map<String, String>> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && labels.test(s.labels()))
        .mapToDouble(Sample::value)
        .sum();
  }

  public double sum(String name) {
    return sum(name, l -> true);
  }

  /**
   * @return {@code name}'s value now minus in {@code before}
   */
  public double delta(MetricsScrape before, String name, Predicate<Map<String, String>> labels) {
    return sum(name, labels) - before.sum(name, labels);
  }

  public double delta(MetricsScrape before, String name) {
    return delta(before, name, l -> true);
  }

  /** Cumulative bucket counts of histogram {@code base} (all series summed), by upper bound. */
  private TreeMap<Double, Double> buckets(String base) {
    TreeMap<Double, Double> out = new TreeMap<>();
    for (Sample s : samples) {
      if (s.name().equals(base + "_bucket")) {
        String le = s.labels().get("le");
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        out.merge(bound, s.value(), Double::sum);
      }
    }
    return out;
  }

  /**
   * @param q the quantile, 0–1
   * @return the {@code q} quantile of what histogram {@code base} observed since {@code before}, in
   *     its unit; NaN when it observed nothing
   */
  public double quantile(MetricsScrape before, String base, double q) {
    TreeMap<Double, Double> now = buckets(base);
    TreeMap<Double, Double> then = before.buckets(base);
    double total =
        now.lastEntry() == null
            ? 0
            : now.lastEntry().getValue() - then.getOrDefault(now.lastKey(), 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> e : now.entrySet()) {
      double count = e.getValue() - then.getOrDefault(e.getKey(), 0.0);
      if (count >= rank) {
        if (e.getKey().isInfinite()) {
          return lower; // above the largest finite bound: the bound is all that is known
        }
        double inBucket = count - below;
        return inBucket <= 0
            ? e.getKey()
            : lower + (e.getKey() - lower) * (rank - below) / inBucket;
      }
      lower = e.getKey();
      below = count;
    }
    return lower;
  }
}
