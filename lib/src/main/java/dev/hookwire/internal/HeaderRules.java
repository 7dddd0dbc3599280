package dev.hookwire.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The one set of rules for headers Hookwire sends, used by the endpoint builder, the transport
 * request and the {@code User-Agent} setting alike, so that whatever passes one passes them all:
 * names are HTTP tokens (RFC 9110, 5.1); values are visible ASCII with spaces and tabs inside but
 * not at either end (RFC 9110, 5.5, without the obsolete non-ASCII bytes, which clients treat
 * differently); no name twice in any mix of case; and none of the headers that frame the message
 * or manage the connection, which the HTTP client writes itself. Messages name the header and a
 * position, never a value, which may be a credential. Stateless and thread-safe.
 */
public final class HeaderRules {
  /** The header every webhook request carries, which Hookwire writes itself. */
  public static final String CONTENT_TYPE = "Content-Type";

  /** Headers the HTTP client writes itself; lower case. */
  private static final Set<String> MANAGED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final int MANAGED_MAX_LENGTH = "transfer-encoding".length();

  private HeaderRules() {}

  /**
   * Checks a header name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException if it is not an HTTP token
   */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "header name == null");
    if (!isToken(name)) {
      throw new IllegalArgumentException("header name \"" + Encoding.printable(name, 100) + "\" is not an HTTP token");
    }
    return name;
  }

  /**
   * Checks a header value.
   *
   * @param name the header's name, for the message
   * @param value the value
   * @return the value
   * @throws IllegalArgumentException if it has a character a header may not carry
   */
  public static String checkValue(String name, String value) {
    Objects.requireNonNull(value, () -> "value of header " + name + " == null");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t')) {
        throw new IllegalArgumentException(
            "value of header " + name + " has a character that is not visible ASCII, a space or a"
                + " tab at index " + i);
      }
    }
    if (!value.isEmpty()) {
      char first = value.charAt(0);
      char last = value.charAt(value.length() - 1);
      if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
        throw new IllegalArgumentException("value of header " + name + " has leading or trailing whitespace");
      }
    }
    return value;
  }

  /**
   * Whether the HTTP client writes a header itself ({@code Host}, {@code Content-Length}, ...).
   *
   * @param name the name, any case
   * @return true if no caller may set it
   */
  public static boolean isManaged(String name) {
    // Most names are longer than any managed one; the rest rarely have upper case.
    return name.length() <= MANAGED_MAX_LENGTH && MANAGED.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Refuses a header the HTTP client writes itself.
   *
   * @param name the name
   * @throws IllegalArgumentException if it is managed
   */
  static void checkNotManaged(String name) {
    if (isManaged(name)) {
      throw new IllegalArgumentException("header " + name + " is managed by the HTTP client and cannot be set");
    }
  }

  /** The error for a name given twice. */
  static IllegalArgumentException twice(String name, String previous) {
    return new IllegalArgumentException("header " + name + " is given twice (also as " + previous + ")");
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
