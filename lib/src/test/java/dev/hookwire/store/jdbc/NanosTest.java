package dev.hookwire.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times as the tables keep them: exact nanoseconds in range, clamped beyond, order kept. */
class NanosTest {

  @Test
  void instantsInRange_roundTripExactly() {
    for (Instant t :
        new Instant[] {
          Instant.EPOCH,
          Instant.parse("2024-05-01T12:00:00.123456789Z"),
          Instant.parse("1969-12-31T23:59:59.999999999Z"),
          Instant.parse("1700-01-01T00:00:00.000000001Z"),
          Instant.ofEpochSecond(0, Long.MIN_VALUE),
          Instant.ofEpochSecond(0, Long.MAX_VALUE)
        }) {
      assertThat(Nanos.instant(Nanos.of(t))).isEqualTo(t);
    }
    assertThat(Nanos.of(Instant.ofEpochSecond(0, Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(Nanos.of(Instant.ofEpochSecond(0, Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void instantsBeyondTheRange_areClamped_keepingOrder() {
    assertThat(Nanos.of(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    assertThat(Nanos.of(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.of(Instant.parse("3000-01-01T00:00:00Z")))
        .isGreaterThan(Nanos.of(Instant.parse("2200-01-01T00:00:00Z")));
  }

  @Test
  void durations_roundTrip_andHugeOnesAreClamped() {
    assertThat(Nanos.of(Duration.ofMillis(1234))).isEqualTo(1_234_000_000L);
    assertThat(Nanos.of(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.of(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
  }
}
