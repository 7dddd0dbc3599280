package dev.hookwire.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The one rule for how long succeeded deliveries are kept, used by the dispatcher's pruning and
 * the in-memory store's own bound alike: an age is positive, and a century or more keeps them
 * for good. Stateless and thread-safe.
 */
public final class RetentionRules {
  private static final Duration FOREVER = ChronoUnit.CENTURIES.getDuration();

  private RetentionRules() {}

  /**
   * Checks a retention age.
   *
   * @param setting the setting's name, for the message
   * @param age the age
   * @return the age
   * @throws IllegalArgumentException if not positive
   */
  public static Duration checkAge(String setting, Duration age) {
    Objects.requireNonNull(age, setting + " == null");
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive: " + age);
    }
    return age;
  }

  /**
   * Tells whether an age keeps succeeded deliveries for good.
   *
   * @param age a checked age
   * @return whether it is a century or more
   */
  public static boolean forGood(Duration age) {
    return age.compareTo(FOREVER) >= 0;
  }
}
