package dev.hookwire.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's parsed options. Accepts {@code --name value}, {@code --name=value} and, for options
 * with a short alias, {@code -H value}; {@code -h} and {@code --help} ask for help.
 *
 * <p>Values are never echoed in error messages, since any of them may be a secret typed in the
 * wrong place.
 */
final class Args {
  /** Every value given, in command-line order, as (option name, value). */
  private final List<Map.Entry<String, String>> given;
  private final boolean help;

  private Args(List<Map.Entry<String, String>> given, boolean help) {
    this.given = given;
    this.help = help;
  }

  /**
   * Parses a command's arguments.
   *
   * @param options the options the command takes
   * @param args the arguments after the command's name
   * @return the parsed options; {@link #help()} is true if help was asked for
   * @throws UsageException for an unknown option, a missing value, an unexpected argument or a
   *     single option given twice
   */
  static Args parse(List<Option> options, List<String> args) throws UsageException {
    Map<String, Option> byName = new HashMap<>();
    for (Option option : options) {
      byName.put(option.name(), option);
      if (!option.shortName().isEmpty()) {
        byName.put(option.shortName(), option);
      }
    }
    List<Map.Entry<String, String>> given = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Args(List.of(), true);
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        throw new UsageException(
            "unexpected argument at position "
                + (i + 1)
                + ": every value needs its option before it (such as --secret K)");
      }
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Option option = byName.get(name);
      if (option == null) {
        throw new UsageException("unknown option " + name);
      }
      String value;
      if (!option.takesValue()) {
        if (eq >= 0) {
          throw new UsageException(option.name() + " takes no value");
        }
        value = "";
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !byName.containsKey(args.get(i + 1))
          && !args.get(i + 1).equals("--help")) {
        value = args.get(++i);
      } else {
        throw new UsageException(
            option.name() + " needs a value: " + option.name() + " " + option.valueName());
      }
      if (counts.merge(option.name(), 1, Integer::sum) > 1 && !option.repeatable()) {
        throw new UsageException(option.name() + " is given more than once");
      }
      given.add(Map.entry(option.name(), value));
    }
    return new Args(List.copyOf(given), false);
  }

  /** Whether {@code --help} was given. */
  boolean help() {
    return help;
  }

  /** Whether a flag, or an option, was given. */
  boolean has(String name) {
    return given.stream().anyMatch(e -> e.getKey().equals(name));
  }

  /** The value of a single option, if given. */
  Optional<String> value(String name) {
    return given.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }

  /** The value of a single option that must be given. */
  String required(String name) throws UsageException {
    Optional<String> value = value(name);
    if (value.isEmpty()) {
      throw new UsageException("missing " + name);
    }
    return value.get();
  }

  /** Every value of the named options, in command-line order, as (option name, value). */
  List<Map.Entry<String, String>> values(Set<String> names) {
    List<Map.Entry<String, String>> values = new ArrayList<>();
    for (Map.Entry<String, String> e : given) {
      if (names.contains(e.getKey())) {
        values.add(e);
      }
    }
    return values;
  }

  /** Every value of one repeatable option, in command-line order. */
  List<String> values(String name) {
    List<String> values = new ArrayList<>();
    values(Set.of(name)).forEach(e -> values.add(e.getValue()));
    return values;
  }
}
