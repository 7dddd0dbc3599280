package dev.hookwire.dispatch;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks for header names and values set by users. */
final class Headers {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private Headers() {}

  static String checkName(String name) {
    Objects.requireNonNull(name, "header name == null");
    if (!TOKEN.matcher(name).matches()) {
      throw new IllegalArgumentException("\"" + name + "\" is not a valid HTTP header name");
    }
    return name;
  }

  static String checkValue(String name, String value) {
    Objects.requireNonNull(value, "value of header " + name + " == null");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw new IllegalArgumentException(
            "value of header " + name + " has a character not allowed in a header at index " + i);
      }
    }
    return value;
  }
}
