package dev.hookwire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EncodingTest {
  @Test
  void printable_escapesControlAndNonAsciiCharacters_andCutsLongText() {
    assertThat(Encoding.printable("plain text", 100)).isEqualTo("plain text");
    assertThat(Encoding.printable("Caf\u00e9\r\n\u0000<b>", 100)).isEqualTo("Caf\\u00e9\\u000d\\u000a\\u0000<b>");
    assertThat(Encoding.printable("abcdef", 4)).isEqualTo("abcd...");
    assertThat(Encoding.printable("abcd", 4)).isEqualTo("abcd");
  }

  @Test
  void hex_writesTwoLowerCaseDigitsPerByte() {
    byte[] bytes = {0, 1, (byte) 0xab, (byte) 0xff};
    assertThat(Encoding.hex(bytes)).isEqualTo("0001abff");
  }
}
