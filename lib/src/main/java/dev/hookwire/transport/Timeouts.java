package dev.hookwire.transport;

import java.time.Duration;

/** Limits shared by both transports. */
final class Timeouts {
  /** OkHttp's limit for its timeouts, about 24 days; longer ones are capped to it. */
  static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);

  private Timeouts() {}

  /** A timeout in nanoseconds, capped at {@link #MAX}: timers overflow near Long.MAX_VALUE. */
  static long nanos(Duration timeout) {
    return timeout.compareTo(MAX) > 0 ? MAX.toNanos() : timeout.toNanos();
  }
}
