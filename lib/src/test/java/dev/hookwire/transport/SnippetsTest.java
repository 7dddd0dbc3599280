package dev.hookwire.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnippetsTest {

  @Test
  void decodesCompleteText() {
    assertThat(decode("")).isEmpty();
    assertThat(decode("{\"error\":\"nope\"}")).isEqualTo("{\"error\":\"nope\"}");
    assertThat(decode("déjà vu €5 😀")).isEqualTo("déjà vu €5 😀");
  }

  @Test
  void dropsACharacterCutInTwoAtTheEnd() {
    assertThat(cut("aé", 1)).isEqualTo("a"); // 2-byte, 1 missing
    assertThat(cut("a€", 1)).isEqualTo("a"); // 3-byte, 1 missing
    assertThat(cut("a€", 2)).isEqualTo("a"); // 3-byte, 2 missing
    assertThat(cut("a😀", 1)).isEqualTo("a"); // 4-byte, 1 missing
    assertThat(cut("a😀", 2)).isEqualTo("a");
    assertThat(cut("a😀", 3)).isEqualTo("a");
  }

  @Test
  void replacesMalformedBytesElsewhere() {
    byte[] bytes = {'a', (byte) 0x80, 'b', (byte) 0xff, 'c'};
    assertThat(Snippets.decode(bytes, bytes.length)).isEqualTo("a\uFFFDb\uFFFDc");
    byte[] strayContinuations = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertThat(Snippets.decode(strayContinuations, strayContinuations.length)).startsWith("a");
  }

  @Test
  void decodesOnlyTheGivenLength() {
    byte[] bytes = "hello world".getBytes(UTF_8);
    assertThat(Snippets.decode(bytes, 5)).isEqualTo("hello");
  }

  private static String decode(String text) {
    byte[] bytes = text.getBytes(UTF_8);
    return Snippets.decode(bytes, bytes.length);
  }

  private static String cut(String text, int missing) {
    byte[] bytes = text.getBytes(UTF_8);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - missing);
    return Snippets.decode(cut, cut.length);
  }
}
