package dev.hookwire.transport;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Turns the first bytes of a response body into a {@link TransportResponse#bodySnippet()}. */
final class Snippets {
  private Snippets() {}

  /**
   * Decodes {@code length} bytes as UTF-8, dropping a character cut in two at the end (the
   * snippet usually stops in the middle of the body). Other malformed input becomes U+FFFD.
   */
  static String decode(byte[] bytes, int length) {
    int end = length;
    int continuation = 0;
    int i = length - 1;
    while (i >= 0 && continuation < 3 && (bytes[i] & 0xc0) == 0x80) {
      continuation++;
      i--;
    }
    if (i >= 0) {
      int lead = bytes[i] & 0xff;
      int needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (needed > continuation + 1) {
        end = i;
      }
    }
    return new String(bytes, 0, end, UTF_8);
  }
}
