package io.swarmtee.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The benches' command lines: {@code --flag value} pairs and bare {@code --switch}es, each named up
 * front; an unknown flag, a flag without its value or a missing required one fails with the usage
 * line.
 */
final class BenchArgs {

  private final String usage;
  private final Map<String, String> values;

  private BenchArgs(String usage, Map<String, String> values) {
    this.usage = usage;
    this.values = values;
  }

  /**
   * @param flags the flags that take a value
   * @param switches the flags that take none
   */
  static BenchArgs parse(String[] args, String usage, Set<String> flags, Set<String> switches) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (switches.contains(a)) {
        values.put(a, "");
      } else if (flags.contains(a)) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(usage + "; " + a + " needs a value");
        }
        values.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException(usage + "; unknown " + a);
      }
    }
    return new BenchArgs(usage, values);
  }

  String required(String flag) {
    String v = values.get(flag);
    if (v == null) {
      throw new IllegalArgumentException(usage + "; " + flag + " is required");
    }
    return v;
  }

  Optional<String> optional(String flag) {
    return Optional.ofNullable(values.get(flag));
  }

  boolean has(String flag) {
    return values.containsKey(flag);
  }

  int intOr(String flag, int otherwise) {
    return optional(flag).map(v -> parseInt(flag, v)).orElse(otherwise);
  }

  int[] intsOr(String flag, int... otherwise) {
    return optional(flag)
        .map(v -> List.of(v.split(",")).stream().mapToInt(x -> parseInt(flag, x)).toArray())
        .orElse(otherwise);
  }

  private int parseInt(String flag, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage + "; " + flag + " takes a number, not " + v, e);
    }
  }
}
