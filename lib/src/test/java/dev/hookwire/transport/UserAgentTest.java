package dev.hookwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserAgentTest {

  @Test
  void defaultNamesHookwireAndItsVersion() {
    assertThat(UserAgent.version()).isNotBlank();
    assertThat(UserAgent.defaultValue()).isEqualTo("Hookwire/" + UserAgent.version());
    // Run from target/classes there is no manifest to read.
    assertThat(UserAgent.version()).isEqualTo(UserAgent.FALLBACK_VERSION);
  }

  @Test
  void acceptsOrdinaryValues() {
    assertThat(UserAgent.check("Acme-Webhooks/2.1 (+https://acme.example/webhooks)"))
        .isEqualTo("Acme-Webhooks/2.1 (+https://acme.example/webhooks)");
    // The same rules as every header value: a tab inside is allowed.
    assertThat(UserAgent.check("Acme\t1")).isEqualTo("Acme\t1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "Acmé/1", "Acme/1\r\nX-Injected: 1", "Acme/1\t", " Acme/1", "Acme/1 "})
  void refusesValuesThatAreNotCleanPrintableAscii(String value) {
    assertThatThrownBy(() -> UserAgent.check(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> UserAgent.check(null)).isInstanceOf(NullPointerException.class);
  }
}
