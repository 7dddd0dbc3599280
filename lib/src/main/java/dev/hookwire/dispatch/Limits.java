package dev.hookwire.dispatch;

import java.time.Duration;
import java.util.Objects;

/** Checks for the limits that dispatcher and endpoint builders share. */
final class Limits {
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  private Limits() {}

  static Duration timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout must be positive and at most 5 minutes: " + timeout);
    }
    return timeout;
  }

  static Duration positive(String name, Duration duration) {
    Objects.requireNonNull(duration, name + " == null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
    return duration;
  }

  static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
    return value;
  }
}
