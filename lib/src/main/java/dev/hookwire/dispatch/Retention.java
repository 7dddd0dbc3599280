package dev.hookwire.dispatch;

import dev.hookwire.internal.RetentionRules;
import dev.hookwire.store.spi.DeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Deletes succeeded deliveries older than the retention age, in small steps on the scheduler, so
 * that the store does not grow without bound and a large backlog never holds delivery up for
 * long. Every node prunes; the steps are short and idempotent. Thread-safe.
 */
final class Retention {
  private static final Logger log = DispatchLog.LOG;
  static final int STEP = 1_000;

  private final DeliveryQueue queue;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration age;
  private final BooleanSupplier running;

  Retention(DeliveryQueue queue, ScheduledExecutorService scheduler, Clock clock, Duration age,
      BooleanSupplier running) {
    this.queue = queue;
    this.scheduler = scheduler;
    this.clock = clock;
    this.age = age;
    this.running = running;
  }

  /** A tenth of the retention age, between a minute and an hour. */
  Duration interval() {
    Duration tenth = age.dividedBy(10);
    if (tenth.compareTo(Duration.ofMinutes(1)) < 0) {
      return Duration.ofMinutes(1);
    }
    return AttemptJudge.min(tenth, Duration.ofHours(1));
  }

  void start() {
    schedule(interval());
  }

  private void schedule(Duration delay) {
    if (RetentionRules.forGood(age) || !running.getAsBoolean()) {
      return;
    }
    try {
      scheduler.schedule(this::prune, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("scheduler stopped; no more pruning");
    }
  }

  /**
   * Deletes one step. A full step is followed at once by another, queued behind the work already
   * waiting on the scheduler.
   */
  private void prune() {
    if (!running.getAsBoolean()) {
      return;
    }
    Duration next = interval();
    try {
      int pruned = queue.prune(clock.instant().minus(age), STEP);
      if (pruned > 0) {
        log.debug("pruned {} succeeded deliveries older than {}", pruned, age);
      }
      if (pruned >= STEP) {
        next = Duration.ZERO;
      }
    } catch (RuntimeException e) {
      log.warn("cannot prune succeeded deliveries; trying again in {}", next, e);
    }
    schedule(next);
  }
}
