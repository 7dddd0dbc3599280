package dev.hookwire.store.jdbc;

import java.time.Duration;
import java.time.Instant;

/**
 * Times and durations as the tables keep them: {@code BIGINT} nanoseconds since the epoch. That
 * spans 1677-09-21 to 2262-04-11 exactly; instants outside are clamped to the nearest end, which
 * keeps every comparison with a time inside the span right.
 */
final class Nanos {
  private static final long BILLION = 1_000_000_000L;
  private static final Instant MIN = Instant.ofEpochSecond(0, Long.MIN_VALUE);
  private static final Instant MAX = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  private Nanos() {}

  static long of(Instant t) {
    if (t.isBefore(MIN)) {
      return Long.MIN_VALUE;
    }
    if (t.isAfter(MAX)) {
      return Long.MAX_VALUE;
    }
    long seconds = t.getEpochSecond();
    int nano = t.getNano();
    if (seconds < 0 && nano > 0) {
      // Near the lower end, seconds * BILLION alone would overflow; borrow a second.
      return (seconds + 1) * BILLION + (nano - BILLION);
    }
    return seconds * BILLION + nano;
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, BILLION), Math.floorMod(nanos, BILLION));
  }

  static long of(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
