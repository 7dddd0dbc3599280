package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void durationsTakeAUnitOrIso8601() throws Exception {
    assertThat(Values.duration("--d", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration("--d", "300s")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Values.duration("--d", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Values.duration("--d", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Values.duration("--d", "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Values.duration("--d", "PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Values.duration("--d", " pt1m30s ")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Values.duration("--d", "0s")).isZero();
  }

  @Test
  void badDurationsNameTheOptionAndShowTheForms() {
    assertThatThrownBy(() -> Values.duration("--tolerance", "5 minutes"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--tolerance: \"5 minutes\" is not a duration; write it as 500ms, 300s, 5m, 2h, 1d or"
                + " ISO-8601 such as PT5M");
    assertThatThrownBy(() -> Values.duration("--timeout", "10"))
        .hasMessageContaining("(a number needs a unit: 10s)");
    assertThatThrownBy(() -> Values.duration("--timeout", "1.5s"))
        .hasMessageContaining("is not a duration");
    assertThatThrownBy(() -> Values.duration("--timeout", "PTxM"))
        .hasMessageContaining("is not a duration");
  }

  @Test
  void timesAreUnixSecondsOrIso8601() throws Exception {
    assertThat(Values.instant("--now", "1714564800")).isEqualTo(Instant.ofEpochSecond(1714564800));
    assertThat(Values.instant("--now", "2024-05-01T12:00:00Z"))
        .isEqualTo(Instant.ofEpochSecond(1714564800));
    assertThat(Values.instant("--now", "2024-05-01T14:00:00+02:00"))
        .isEqualTo(Instant.ofEpochSecond(1714564800));
    assertThatThrownBy(() -> Values.instant("--now", "2024-05-01"))
        .hasMessageContaining("--now: \"2024-05-01\" is not a time");
  }

  @Test
  void headerLinesSplitAtTheFirstColon() throws Exception {
    assertThat(Values.header("-H", "Stripe-Signature:  t=1,v1=ab:cd "))
        .isEqualTo(java.util.Map.entry("Stripe-Signature", "t=1,v1=ab:cd"));
    assertThat(Values.header("-H", "X-Empty:")).isEqualTo(java.util.Map.entry("X-Empty", ""));
    assertThatThrownBy(() -> Values.header("-H", "X-Bad: a\u0001b"))
        .hasMessage("-H: the value of X-Bad has a control character at index 1");
  }

  @Test
  void durationsAreWrittenForPeople() {
    assertThat(Values.format(Duration.ofMillis(12))).isEqualTo("12 ms");
    assertThat(Values.format(Duration.ofMillis(999))).isEqualTo("999 ms");
    assertThat(Values.format(Duration.ofMillis(1000))).isEqualTo("1 s");
    assertThat(Values.format(Duration.ofMillis(1999))).isEqualTo("2 s");
    assertThat(Values.format(Duration.ofMillis(2500))).isEqualTo("2.5 s");
    assertThat(Values.format(Duration.ofSeconds(64))).isEqualTo("64 s");
  }
}
