package dev.hookwire.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Something a test waits for across threads and processes: whatever changes the state a
 * condition reads calls {@link #poke()}, and {@link #await} re-checks the condition on each poke,
 * up to a deadline. Conditions that read state nobody pokes for (a database, say) are re-checked
 * at least every {@value #RECHECK_MILLIS} ms as well. Never sleeps.
 *
 * <p>Thread-safe.
 */
public final class Signal {
  private static final long RECHECK_MILLIS = 50;

  private long pokes;

  /** Wakes every waiter to re-check its condition. */
  public synchronized void poke() {
    pokes++;
    notifyAll();
  }

  /**
   * Waits until a condition holds. The condition runs on the calling thread; an {@link
   * AssertionError} it throws (a child process that died, say) ends the wait at once.
   *
   * @param condition what the test waits for
   * @param timeout the bound
   * @param state describes the state the condition reads, for the failure message
   * @throws AssertionError if the condition does not hold in time
   */
  public void await(BooleanSupplier condition, Duration timeout, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (this) {
        seen = pokes;
      }
      if (condition.getAsBoolean()) {
        return;
      }
      synchronized (this) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("not reached within " + timeout + ": " + state.get());
        }
        try {
          // A poke since the condition was read is not lost: the count moved on.
          if (pokes == seen) {
            TimeUnit.NANOSECONDS.timedWait(
                this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting: " + state.get(), e);
        }
      }
    }
  }
}
