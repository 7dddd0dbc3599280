package dev.hookwire.cli;

/**
 * One option a command takes: a flag, or an option with a value, possibly repeated.
 *
 * @param name the long name, with its dashes ({@code --secret})
 * @param shortName a one-letter alias with its dash ({@code -H}), or empty
 * @param valueName the value's placeholder in help ({@code K}), or empty for a flag
 * @param repeatable whether the option may be given more than once
 * @param help one line of help
 */
record Option(String name, String shortName, String valueName, boolean repeatable, String help) {

  static Option flag(String name, String help) {
    return new Option(name, "", "", false, help);
  }

  static Option value(String name, String valueName, String help) {
    return new Option(name, "", valueName, false, help);
  }

  Option repeated() {
    return new Option(name, shortName, valueName, true, help);
  }

  Option alias(String shortName) {
    return new Option(name, shortName, valueName, repeatable, help);
  }

  boolean takesValue() {
    return !valueName.isEmpty();
  }

  /** How the option appears in help: {@code -H, --header 'Name: value'}. */
  String synopsis() {
    String names = shortName.isEmpty() ? name : shortName + ", " + name;
    return takesValue() ? names + " " + valueName : names;
  }
}
