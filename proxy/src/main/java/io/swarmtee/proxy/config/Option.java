package io.swarmtee.proxy.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration setting: a command-line flag {@code --name}, the environment variable {@code
 * SWARMTEE_NAME} (upper case, dashes as underscores) and the key {@code name} of the YAML file.
 *
 * @param name the flag without its leading dashes, e.g. {@code segment-cache-bytes}
 * @param defaultValue the value when no source sets it; empty when the setting is optional
 * @param flag true for a boolean switch ({@code --archive} alone means true)
 * @param help one line for {@code --help}
 * @param repeatable whether the flag may be given several times (its values join into a list, as a
 *     YAML list does)
 */
public record Option(
    String name, Optional<String> defaultValue, boolean flag, String help, boolean repeatable) {

  public Option {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(help, "help");
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "option names are lower-case words joined by dashes: " + name);
    }
  }

  /**
   * @return a setting with a default value
   */
  public static Option of(String name, String defaultValue, String help) {
    return new Option(name, Optional.of(defaultValue), false, help, false);
  }

  /**
   * @return a setting without a default (absent unless some source sets it)
   */
  public static Option optional(String name, String help) {
    return new Option(name, Optional.empty(), false, help, false);
  }

  /**
   * @return a list setting, empty by default, whose flag may be repeated ({@code --x a --x b})
   */
  public static Option repeatable(String name, String help) {
    return new Option(name, Optional.of(""), false, help, true);
  }

  /**
   * @return a boolean switch, default false
   */
  public static Option flag(String name, String help) {
    return new Option(name, Optional.of("false"), true, help, false);
  }

  /**
   * @return the environment variable naming this setting, e.g. {@code SWARMTEE_SEGMENT_CACHE_BYTES}
   */
  public String env() {
    return "SWARMTEE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
