package dev.hookwire.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckedHeadersTest {

  @Test
  void copyOf_keepsTheOrder_andEqualsAnOrdinaryMapOfTheSameHeaders() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("X-B", "2");
    given.put("X-A", "1");
    given.put("User-Agent", "Acme/1");

    CheckedHeaders headers = CheckedHeaders.copyOf(given);

    assertThat(headers.keySet()).containsExactly("X-B", "X-A", "User-Agent");
    assertThat(headers).isEqualTo(given).hasSameHashCodeAs(given);
    assertThat(headers.get("X-A")).isEqualTo("1");
    assertThat(headers.indexOf("user-agent")).isEqualTo(2);
    assertThat(headers.indexOf("X-C")).isEqualTo(-1);
    assertThat(CheckedHeaders.copyOf(headers)).isSameAs(headers);
  }

  @Test
  void copyOf_refusesWhatHeaderRulesRefuse_namingTheHeader() {
    assertThatThrownBy(() -> CheckedHeaders.copyOf(Map.of("Bad Name", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an HTTP token");
    assertThatThrownBy(() -> CheckedHeaders.copyOf(Map.of("X-Secret", "a\nb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Secret");
    assertThatThrownBy(() -> CheckedHeaders.copyOf(Map.of("Content-Length", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("managed by the HTTP client");
    Map<String, String> twice = new LinkedHashMap<>();
    twice.put("X-Id", "1");
    twice.put("x-id", "2");
    assertThatThrownBy(() -> CheckedHeaders.copyOf(twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x-id is given twice (also as X-Id)");
  }

  @Test
  void copyOf_findsARepeatAmongManyHeaders() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      many.put("X-H" + i, "v");
    }
    assertThat(CheckedHeaders.copyOf(many)).hasSize(40);
    many.put("x-h7", "again");
    assertThatThrownBy(() -> CheckedHeaders.copyOf(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
  }

  @Test
  void fixedNames_areCheckedOnce_andEachValueAsItGoesIn() {
    CheckedHeaders.Names names = CheckedHeaders.names("webhook-id", "webhook-signature");

    CheckedHeaders headers = CheckedHeaders.of(names, "msg_1", "v1,abc=");

    assertThat(headers).containsExactly(Map.entry("webhook-id", "msg_1"), Map.entry("webhook-signature", "v1,abc="));
    assertThatThrownBy(() -> CheckedHeaders.of(names, "msg_1", " v1,abc="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webhook-signature");
    assertThatThrownBy(() -> CheckedHeaders.of(names, "msg_1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckedHeaders.names("A", "a")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> CheckedHeaders.names("Host")).hasMessageContaining("managed");
  }

  @Test
  void concat_joinsInOrder_andRefusesANameInTwoParts() {
    CheckedHeaders a = CheckedHeaders.copyOf(Map.of("Authorization", "Bearer t"));
    CheckedHeaders b = CheckedHeaders.copyOf(Map.of("Content-Type", "application/json"));

    assertThat(CheckedHeaders.concat(a, CheckedHeaders.EMPTY, b).keySet())
        .containsExactly("Authorization", "Content-Type");
    assertThatThrownBy(() -> CheckedHeaders.concat(a, CheckedHeaders.copyOf(Map.of("authorization", "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
  }

  @Test
  void isImmutable_andItsStringShowsNoValue() {
    CheckedHeaders headers = CheckedHeaders.copyOf(Map.of("Authorization", "Bearer secret-token"));

    assertThatThrownBy(() -> headers.put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.entrySet().iterator().next().setValue("z"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(headers.toString()).contains("Authorization").doesNotContain("secret-token");
  }
}
