package dev.hookwire.bench;

import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the dispatcher reports. {@link #expect} arms a latch that opens when that many
 * successes (to the counted endpoints) have been reported, and notes when.
 */
final class Tally implements DeliveryListener {
  private final Map<AttemptOutcome, LongAdder> outcomes = new EnumMap<>(AttemptOutcome.class);
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAdder dead = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicInteger successes = new AtomicInteger();
  private volatile Set<String> counted; // null: every endpoint
  private volatile int target = Integer.MAX_VALUE;
  private volatile CountDownLatch reached = new CountDownLatch(1);
  private volatile long reachedAt;

  Tally() {
    for (AttemptOutcome o : AttemptOutcome.values()) {
      outcomes.put(o, new LongAdder());
    }
  }

  /** Counts only successes to these endpoints towards the target. */
  Tally counting(Set<String> endpointIds) {
    this.counted = Set.copyOf(endpointIds);
    return this;
  }

  /** Resets the success count and arms the latch for {@code n} successes. */
  CountDownLatch expect(int n) {
    CountDownLatch latch = new CountDownLatch(1);
    successes.set(0);
    reachedAt = 0;
    target = n;
    reached = latch;
    return latch;
  }

  /** When the target was reached, in {@link System#nanoTime()}. */
  long reachedAt() {
    return reachedAt;
  }

  long outcome(AttemptOutcome o) {
    return outcomes.get(o).sum();
  }

  Map<Integer, LongAdder> statuses() {
    return statuses;
  }

  long dead() {
    return dead.sum();
  }

  /** Failed attempts by error text (digits masked), e.g. to tell resets from timeouts. */
  Map<String, LongAdder> errors() {
    return errors;
  }

  void clearOutcomes() {
    errors.clear();
    outcomes.values().forEach(LongAdder::reset);
    statuses.clear();
    dead.reset();
  }

  @Override
  public void attemptSucceeded(AttemptRecord attempt) {
    record(attempt);
    Set<String> only = counted;
    if (only != null && !only.contains(attempt.endpointId())) {
      return;
    }
    if (successes.incrementAndGet() == target) {
      reachedAt = System.nanoTime();
      reached.countDown();
    }
  }

  @Override
  public void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {
    record(attempt);
  }

  @Override
  public void deliveryDead(String deliveryId, String endpointId, String reason) {
    dead.increment();
  }

  private void record(AttemptRecord attempt) {
    outcomes.get(attempt.outcome()).increment();
    attempt.error().ifPresent(e -> {
      String key = e.replaceAll("[0-9]+", "N");
      errors.computeIfAbsent(key.length() > 120 ? key.substring(0, 120) : key, k -> new LongAdder()).increment();
    });
    if (attempt.status() != 0) {
      statuses.computeIfAbsent(attempt.status(), k -> new LongAdder()).increment();
    }
  }
}
