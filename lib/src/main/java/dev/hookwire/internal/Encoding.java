package dev.hookwire.internal;

import java.util.Base64;

/**
 * Decoders for untrusted text that answer {@code null} instead of throwing, and the matching
 * encoders. Stateless and thread-safe.
 */
public final class Encoding {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Encoding() {}

  /**
   * Returns text with control and non-ASCII characters escaped as a backslash, "u" and four hex digits, cut after
   * {@code max} characters with "...": safe to put in a message, a log or a response.
   *
   * @param text the text
   * @param max how many characters to keep at most
   * @return printable ASCII
   */
  public static String printable(String text, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return text.length() > max ? b + "..." : b.toString();
  }

  /**
   * Encodes bytes as lower-case hexadecimal.
   *
   * @param bytes the bytes to encode
   * @return two lower-case hex digits per byte
   */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes hexadecimal of either case.
   *
   * @param text the hex text
   * @return the bytes, or {@code null} if {@code text} is not an even number of hex digits
   */
  public static byte[] unhex(CharSequence text) {
    int n = text.length();
    if ((n & 1) != 0) {
      return null;
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = Character.digit(text.charAt(i), 16);
      int lo = Character.digit(text.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(i) > 'f' || text.charAt(i + 1) > 'f') {
        return null;
      }
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /**
   * Encodes bytes as padded standard base64.
   *
   * @param bytes the bytes to encode
   * @return the base64 text
   */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes standard base64, padded or not.
   *
   * @param text the base64 text
   * @return the bytes, or {@code null} if {@code text} is not base64
   */
  public static byte[] unbase64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Parses a non-negative decimal integer of at most 18 digits, as used for Unix timestamps.
   *
   * @param text the digits
   * @return the value, or {@code -1} if {@code text} is empty, too long or not all ASCII digits
   */
  public static long parseNonNegativeLong(CharSequence text) {
    int n = text.length();
    if (n == 0 || n > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
