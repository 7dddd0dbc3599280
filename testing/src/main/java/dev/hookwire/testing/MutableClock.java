package dev.hookwire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test sets or advances it.
 *
 * <p>Thread-safe: the instant is held in an atomic reference, so a test thread may move it while
 * the code under test reads it. Clocks made by {@link #withZone} share the instant with this one.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> instant;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
    this.instant = instant;
    this.zone = zone;
  }

  /**
   * Returns a clock standing at an instant, in UTC.
   *
   * @param start where the clock starts
   * @return the clock
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start == null")), ZoneOffset.UTC);
  }

  /**
   * Returns a clock standing at {@link TestEvents#T0}, in UTC.
   *
   * @return the clock
   */
  public static MutableClock atT0() {
    return at(TestEvents.T0);
  }

  /**
   * Moves the clock to an instant, forwards or backwards.
   *
   * @param to the new instant
   */
  public void set(Instant to) {
    instant.set(Objects.requireNonNull(to, "to == null"));
  }

  /**
   * Moves the clock on (or back, for a negative amount).
   *
   * @param amount how far
   * @return the new instant
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount == null");
    return instant.updateAndGet(i -> i.plus(amount));
  }

  @Override
  public Instant instant() {
    return instant.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(instant, Objects.requireNonNull(newZone, "newZone == null"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + instant.get() + ", " + zone + "]";
  }
}
