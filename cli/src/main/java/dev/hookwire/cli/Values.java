package dev.hookwire.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads option values (durations, times, numbers, header lines) and writes durations. */
final class Values {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,12}");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private Values() {}

  /**
   * Reads a duration: a whole number and a unit ({@code 500ms}, {@code 300s}, {@code 5m}, {@code
   * 2h}, {@code 1d}) or ISO-8601 ({@code PT5M}).
   */
  static Duration duration(String option, String text) throws UsageException {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    if (t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw new UsageException(option + " must not be negative: \"" + text + "\"");
        }
        return d;
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    String hint = DIGITS.matcher(t).matches() ? " (a number needs a unit: " + t + "s)" : "";
    throw new UsageException(
        option
            + ": \""
            + text
            + "\" is not a duration"
            + hint
            + "; write it as 500ms, 300s, 5m, 2h, 1d or ISO-8601 such as PT5M");
  }

  /** Reads a point in time: Unix seconds ({@code 1700000000}) or ISO-8601. */
  static Instant instant(String option, String text) throws UsageException {
    String t = text.trim();
    if (DIGITS.matcher(t).matches()) {
      return Instant.ofEpochSecond(Long.parseLong(t));
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e2) {
        throw new UsageException(
            option
                + ": \""
                + text
                + "\" is not a time; write Unix seconds (1700000000) or ISO-8601"
                + " (2024-05-01T12:00:00Z)");
      }
    }
  }

  /** Reads a whole number from {@code min} to {@code max}. */
  static int integer(String option, String text, int min, int max) throws UsageException {
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(option + ": \"" + text + "\" is not a whole number");
    }
    if (n < min || n > max) {
      throw new UsageException(option + " must be from " + min + " to " + max + ", not " + n);
    }
    return n;
  }

  /**
   * Reads a header line {@code Name: value}; the value loses surrounding white space. The value is
   * not shown in messages, as it may hold a credential.
   */
  static Map.Entry<String, String> header(String option, String line) throws UsageException {
    int colon = line.indexOf(':');
    if (colon < 0) {
      throw new UsageException(option + " needs 'Name: value', but a header has no colon");
    }
    String name = line.substring(0, colon).trim();
    if (!TOKEN.matcher(name).matches()) {
      throw new UsageException(option + ": \"" + name + "\" is not a valid header name");
    }
    String value = line.substring(colon + 1).trim();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new UsageException(
            option + ": the value of " + name + " has a control character at index " + i);
      }
    }
    return Map.entry(name, value);
  }

  /** Writes a duration for people: {@code 250 ms}, {@code 1.5 s}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0).replace(".0 s", " s");
  }
}
