package io.swarmtee.proxy.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Resolves settings from command-line flags, environment variables {@code SWARMTEE_*} and an
 * optional YAML file ({@code --config} or {@code SWARMTEE_CONFIG}). Precedence: flag &gt;
 * environment &gt; file &gt; default. Flags are {@code --name value}, {@code --name=value}, or for
 * switches {@code --name} alone. Unknown flags and unknown file keys are errors; unknown {@code
 * SWARMTEE_*} variables are ignored (another version or subcommand may use them).
 */
public final class ConfigParser {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigParser() {}

  /**
   * @param args the flags (after any subcommand name)
   * @param env the process environment
   * @param options what this (sub)command accepts
   * @throws ConfigException on an unknown flag, a flag without value, an unreadable or malformed
   *     file
   */
  public static Settings parse(List<String> args, Map<String, String> env, List<Option> options)
      throws ConfigException {
    Map<String, Option> byName = new LinkedHashMap<>();
    options.forEach(o -> byName.put(o.name(), o));
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException(
            "unexpected argument '" + arg + "' (flags look like --name value; see --help)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Option option = byName.get(name);
      if (option == null) {
        throw new ConfigException("unknown flag --" + name + " (see --help)");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (option.flag()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException("flag --" + name + " needs a value");
      }
      if (option.repeatable() && flags.containsKey(name)) {
        flags.put(name, flags.get(name) + "," + value);
      } else if (flags.put(name, value) != null) {
        throw new ConfigException("flag --" + name + " given twice");
      }
    }

    Optional<String> file =
        Optional.ofNullable(flags.get(Options.CONFIG.name()))
            .or(() -> Optional.ofNullable(env.get(Options.CONFIG.env())));
    Map<String, String> fileValues =
        file.isPresent() ? readFile(Path.of(file.get()), byName) : Map.of();

    Map<String, String> values = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (Option option : options) {
      String name = option.name();
      if (flags.containsKey(name)) {
        values.put(name, flags.get(name));
        sources.put(name, "--" + name);
      } else if (env.containsKey(option.env())) {
        values.put(name, env.get(option.env()));
        sources.put(name, "env " + option.env());
      } else if (fileValues.containsKey(name)) {
        values.put(name, fileValues.get(name));
        sources.put(name, "file " + file.orElseThrow());
      } else if (option.defaultValue().isPresent()) {
        values.put(name, option.defaultValue().get());
        sources.put(name, "default");
      }
    }
    return new Settings(values, sources);
  }

  private static Map<String, String> readFile(Path path, Map<String, Option> byName)
      throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(path));
    } catch (JacksonException e) {
      throw new ConfigException(
          "config file "
              + path
              + " is not valid YAML: "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e, e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Map.of();
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "config file " + path + " must be a mapping of flag names to values");
    }
    Map<String, String> values = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (!byName.containsKey(key) || key.equals(Options.CONFIG.name())) {
        throw new ConfigException("config file " + path + ": unknown key '" + key + "'");
      }
      JsonNode node = field.getValue();
      if (node.isArray()) {
        StringJoiner joined = new StringJoiner(",");
        node.forEach(item -> joined.add(item.asText()));
        values.put(key, joined.toString());
      } else if (node.isValueNode()) {
        values.put(key, node.isNull() ? "" : node.asText());
      } else {
        throw new ConfigException(
            "config file " + path + ": key '" + key + "' must be a scalar or a list");
      }
    }
    return values;
  }

  /**
   * @return the {@code --help} text for {@code options}, one flag per line with its variable and
   *     default
   */
  public static String help(String usage, List<Option> options) {
    StringBuilder out = new StringBuilder(usage).append("\n\n");
    for (Option o : options) {
      String left = "  --" + o.name() + (o.flag() ? "" : " VALUE");
      out.append(String.format("%-30s %s%n", left, o.help()));
      out.append(
          String.format(
              "%-30s env %s%s%n",
              "",
              o.env(),
              o.defaultValue().filter(d -> !d.isEmpty()).map(d -> ", default " + d).orElse("")));
    }
    out.append("\nPrecedence: flag > environment > --config file > default.\n");
    return out.toString();
  }
}
