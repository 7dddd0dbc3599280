package dev.hookwire.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to attempt a delivery again, and when to give up.
 *
 * <p>The first attempt is made at once. A policy is the list of delays before each further
 * attempt: the second attempt waits the first delay after the first failed, and so on; when the
 * list is used up the delivery is dead. Each delay is spread by a random jitter so that many deliveries failing
 * together do not retry together. A {@code Retry-After} from the endpoint (on 429, 502, 503 and
 * 504) replaces the next delay, up to {@link #maxRetryAfter()}.
 *
 * <pre>{@code
 * RetryPolicy.standardWebhooks()                       // the default: 10 attempts over ~3 days
 * RetryPolicy.of(Duration.ofSeconds(10), Duration.ofMinutes(1))   // 3 attempts
 * RetryPolicy.exponential(Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 8)
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  private static final RetryPolicy STANDARD =
      new RetryPolicy(
          List.of(
              Duration.ofSeconds(5),
              Duration.ofMinutes(5),
              Duration.ofMinutes(30),
              Duration.ofHours(2),
              Duration.ofHours(5),
              Duration.ofHours(10),
              Duration.ofHours(14),
              Duration.ofHours(20),
              Duration.ofHours(24)),
          0.1,
          Duration.ofHours(1));

  private final List<Duration> delays;
  private final double jitter;
  private final Duration maxRetryAfter;

  private RetryPolicy(List<Duration> delays, double jitter, Duration maxRetryAfter) {
    this.delays = delays;
    this.jitter = jitter;
    this.maxRetryAfter = maxRetryAfter;
  }

  /**
   * The Standard Webhooks schedule, the default: at once, then after 5 s, 5 min, 30 min, 2 h,
   * 5 h, 10 h, 14 h, 20 h and 24 h (10 attempts over about 3.3 days); 10% jitter; {@code
   * Retry-After} honoured up to one hour.
   *
   * @return the policy
   */
  public static RetryPolicy standardWebhooks() {
    return STANDARD;
  }

  /**
   * A schedule of delays before each retry, with 10% jitter. {@code of()} makes one attempt and
   * never retries.
   *
   * @param delays the delay before the second attempt, the third, and so on
   * @return the policy, allowing {@code delays.length + 1} attempts
   * @throws IllegalArgumentException if a delay is negative
   */
  public static RetryPolicy of(Duration... delays) {
    Objects.requireNonNull(delays, "delays == null");
    for (Duration delay : delays) {
      Objects.requireNonNull(delay, "delay == null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay is negative: " + delay);
      }
    }
    return new RetryPolicy(List.of(delays), 0.1, STANDARD.maxRetryAfter);
  }

  /**
   * Exponential backoff: the first attempt at once, then retries after {@code initial}, {@code
   * initial * multiplier}, ... capped at {@code max}, for {@code maxAttempts} attempts in all.
   *
   * @param initial the delay before the second attempt
   * @param multiplier the growth factor, at least 1
   * @param max the longest delay
   * @param maxAttempts attempts in all, at least 1
   * @return the policy
   * @throws IllegalArgumentException if a value is out of range
   */
  public static RetryPolicy exponential(
      Duration initial, double multiplier, Duration max, int maxAttempts) {
    Objects.requireNonNull(initial, "initial == null");
    Objects.requireNonNull(max, "max == null");
    if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + ", " + max);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
    if (maxAttempts < 1 || maxAttempts > 1000) {
      throw new IllegalArgumentException("maxAttempts must be from 1 to 1000: " + maxAttempts);
    }
    List<Duration> delays = new ArrayList<>(maxAttempts);
    double next = initial.toMillis();
    for (int i = 1; i < maxAttempts; i++) {
      delays.add(Duration.ofMillis((long) Math.min(next, max.toMillis())));
      next *= multiplier;
    }
    return new RetryPolicy(List.copyOf(delays), 0.1, STANDARD.maxRetryAfter);
  }

  /**
   * Returns a copy with another jitter.
   *
   * @param fraction each delay is multiplied by a random factor in {@code [1 - fraction, 1 +
   *     fraction]}; 0 for none
   * @return the copy
   * @throws IllegalArgumentException if not from 0 to 1
   */
  public RetryPolicy withJitter(double fraction) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException("jitter must be from 0 to 1: " + fraction);
    }
    return new RetryPolicy(delays, fraction, maxRetryAfter);
  }

  /**
   * Returns a copy that honours {@code Retry-After} up to another limit.
   *
   * @param max the longest {@code Retry-After} honoured; longer ones are cut to it
   * @return the copy
   * @throws IllegalArgumentException if negative
   */
  public RetryPolicy withMaxRetryAfter(Duration max) {
    Objects.requireNonNull(max, "max == null");
    if (max.isNegative()) {
      throw new IllegalArgumentException("maxRetryAfter is negative: " + max);
    }
    return new RetryPolicy(delays, jitter, max);
  }

  /**
   * Returns how many attempts a delivery gets.
   *
   * @return the number of attempts
   */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /**
   * Returns the delays before each retry (the second attempt, the third...), without jitter.
   *
   * @return the delays
   */
  public List<Duration> delays() {
    return delays;
  }

  /**
   * Returns the jitter fraction.
   *
   * @return the fraction
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Returns the longest {@code Retry-After} honoured.
   *
   * @return the limit
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * Returns the delay before a retry, with jitter.
   *
   * @param attemptNumber the attempt about to be scheduled, from 2
   * @return the delay, or empty if the policy allows no such attempt
   */
  java.util.Optional<Duration> delayBefore(int attemptNumber) {
    if (attemptNumber < 2 || attemptNumber > delays.size() + 1) {
      return java.util.Optional.empty();
    }
    Duration base = delays.get(attemptNumber - 2);
    if (jitter == 0 || base.isZero()) {
      return java.util.Optional.of(base);
    }
    double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return java.util.Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy other
        && delays.equals(other.delays)
        && jitter == other.jitter
        && maxRetryAfter.equals(other.maxRetryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(delays, jitter, maxRetryAfter);
  }

  @Override
  public String toString() {
    return "RetryPolicy[" + maxAttempts() + " attempts, retries after " + delays + ", jitter " + jitter + "]";
  }
}
