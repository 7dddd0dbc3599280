package dev.hookwire.dispatch;

import java.time.Duration;
import java.util.Objects;

/** Checks for the limits that dispatcher and endpoint builders share. */
final class Limits {
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  /**
   * How much longer than a request's timeout a lease must run, so that the attempt's result is
   * written while the claim is still current (otherwise another node takes the delivery over and
   * sends it again while the first request runs).
   */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(1);
  /** Far enough to mean "for good", near enough that adding it to any clock time cannot overflow. */
  static final Duration FOREVER = Duration.ofDays(365L * 1000);

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

  static Duration notNegative(String name, Duration duration) {
    Objects.requireNonNull(duration, name + " == null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + duration);
    }
    return duration;
  }

  /** The lease a delivery needs whose request may take {@code timeout}. */
  static Duration leaseFor(Duration timeout) {
    return timeout.plus(LEASE_MARGIN);
  }

  /**
   * Checks that a configured lease outlives a request with the given timeout.
   *
   * @throws IllegalArgumentException naming both settings otherwise
   */
  static void checkLease(Duration lease, Duration timeout, String timeoutSetting) {
    if (lease.compareTo(leaseFor(timeout)) < 0) {
      throw new IllegalArgumentException(
          "lease (" + lease + ") must be at least " + LEASE_MARGIN.toSeconds() + " s longer than "
              + timeoutSetting + " (" + timeout + "), or deliveries would be claimed again and"
              + " sent twice while their request still runs");
    }
  }

  static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
    return value;
  }
}
