package io.swarmtee.proxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved text value of every setting (flag &gt; environment &gt; file &gt; default) and where
 * it came from, with typed readers whose errors name the setting and its source in one line.
 *
 * @param values resolved text per option name; absent options have no key
 * @param sources where each value came from, e.g. {@code "--upstream"}, {@code "env
 *     SWARMTEE_UPSTREAM"}
 */
public record Settings(Map<String, String> values, Map<String, String> sources) {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  public Settings {
    values = Map.copyOf(values);
    sources = Map.copyOf(sources);
  }

  /**
   * @return the text of {@code option}, if set or defaulted
   */
  public Optional<String> text(Option option) {
    return Optional.ofNullable(values.get(option.name()));
  }

  /**
   * @return the text of an option that has a default
   */
  public String required(Option option) throws ConfigException {
    return text(option).orElseThrow(() -> fail(option, "missing"));
  }

  /**
   * @return true/false of a switch
   */
  public boolean bool(Option option) throws ConfigException {
    String v = required(option).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw fail(option, "expected true or false, got '" + v + "'");
    };
  }

  /**
   * @return an absolute http(s) URL with a host, if set
   */
  public Optional<URI> url(Option option) throws ConfigException {
    Optional<String> t = text(option).filter(s -> !s.isEmpty());
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(t.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw fail(option, "expected an http:// or https:// URL, got '" + t.get() + "'");
      }
      if (uri.getHost() == null) {
        throw fail(option, "URL has no host: '" + t.get() + "'");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw fail(option, "unparsable URL '" + t.get() + "': " + e.getReason());
    }
  }

  /**
   * @return a duration written {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or bare seconds
   */
  public Duration duration(Option option) throws ConfigException {
    String v = required(option).trim();
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw fail(option, "expected a duration like 500ms, 5s or 2m, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /**
   * @return a byte count written {@code 1048576}, {@code 64KiB}, {@code 256m}, {@code 1GiB} (binary
   *     units)
   */
  public long bytes(Option option) throws ConfigException {
    String v = required(option).trim();
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw fail(option, "expected a size like 67108864, 64MiB or 1GiB, got '" + v + "'");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    try {
      long n = Long.parseLong(m.group(1));
      if (n > (Long.MAX_VALUE >> shift)) {
        throw fail(option, "size too large: '" + v + "'");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw fail(option, "size too large: '" + v + "'");
    }
  }

  /**
   * @return an integer in [min, max]
   */
  public int integer(Option option, int min, int max) throws ConfigException {
    String v = required(option).trim();
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw fail(option, "expected a number from " + min + " to " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw fail(option, "expected a whole number, got '" + v + "'");
    }
  }

  /**
   * @return comma-separated non-empty items, trimmed
   */
  public List<String> list(Option option) {
    return text(option)
        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }

  /**
   * @return a filesystem path
   */
  public Path path(Option option) throws ConfigException {
    String v = required(option);
    try {
      return Path.of(v);
    } catch (RuntimeException e) {
      throw fail(option, "bad path '" + v + "'");
    }
  }

  /**
   * @return an error naming the option and where its value came from
   */
  public ConfigException fail(Option option, String problem) {
    Objects.requireNonNull(option, "option");
    String from = sources.getOrDefault(option.name(), "default");
    return new ConfigException("--" + option.name() + " (" + from + "): " + problem);
  }
}
