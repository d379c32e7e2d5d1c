package io.swarmtee.proxy.logging;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.proxy.config.Settings;
import java.util.Locale;
import java.util.Objects;

/**
 * How the server logs: {@code --log-format} and {@code --log-level}.
 *
 * @param format one line of text per event, or one JSON object per line (for log pipelines that
 *     parse JSON lines, as Kubernetes' usually do)
 * @param level the least severe level written
 */
public record LogSettings(Format format, Level level) {

  /** {@code --log-format}. */
  public enum Format {
    TEXT,
    JSON
  }

  /** {@code --log-level}. */
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }

  public LogSettings {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(level, "level");
  }

  /** The defaults: text at INFO. */
  public static final LogSettings DEFAULT = new LogSettings(Format.TEXT, Level.INFO);

  /**
   * @throws ConfigException (exit 2) on a format or level not listed above
   */
  public static LogSettings from(Settings s) throws ConfigException {
    return new LogSettings(
        parse(s, Options.LOG_FORMAT, Format.class), parse(s, Options.LOG_LEVEL, Level.class));
  }

  private static <E extends Enum<E>> E parse(
      Settings s, io.swarmtee.proxy.config.Option option, Class<E> type) throws ConfigException {
    String text = s.text(option).orElseThrow(() -> s.fail(option, "missing"));
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E v : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : "|").append(v.name().toLowerCase(Locale.ROOT));
      }
      throw s.fail(option, "expected " + allowed + ", got '" + text + "'");
    }
  }
}
