package dev.hookwire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A scheduler whose tasks run only when a test says so, on the test's thread, at the times a
 * test clock reads. Tasks may be submitted from any thread (transport callbacks are); {@link
 * #runUntil} waits for them on a monitor, with a bound, never by sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final Clock clock;
  private final PriorityQueue<Task<?>> tasks =
      new PriorityQueue<>(Comparator.<Task<?>, Instant>comparing(t -> t.due).thenComparingLong(t -> t.seq));
  private long seq;
  private boolean shutdown;

  /**
   * Creates a scheduler reading the given clock.
   *
   * @param clock the clock that decides which delayed tasks are due
   */
  public ManualScheduler(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs every task due now, including tasks those tasks submit, on this thread.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due.isAfter(clock.instant())) {
          return ran;
        }
        tasks.poll();
      }
      next.run();
      ran++;
    }
  }

  /**
   * Runs due tasks until {@code condition} holds, waiting for tasks submitted by other threads.
   *
   * @param condition what the test waits for
   * @param timeout the bound
   * @throws AssertionError if the condition does not hold in time
   */
  public void runUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      runDue();
      if (condition.getAsBoolean()) {
        return;
      }
      synchronized (this) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("condition not reached within " + timeout);
        }
        Task<?> next = tasks.peek();
        if (next == null || next.due.isAfter(clock.instant())) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
          }
        }
      }
    }
  }

  /**
   * Returns when the earliest pending task is due, if any.
   *
   * @return the due time of the next task
   */
  public synchronized java.util.Optional<Instant> nextDue() {
    Task<?> next = tasks.peek();
    return next == null ? java.util.Optional.empty() : java.util.Optional.of(next.due);
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    task.seq = seq++;
    tasks.add(task);
    notifyAll();
    return task;
  }

  @Override
  public void execute(Runnable command) {
    add(new Task<Object>(command, clock.instant()));
  }


  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<Object>(command, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay)))));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay)))));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by Hookwire");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by Hookwire");
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> pending = new ArrayList<>(tasks);
    tasks.clear();
    return pending;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && tasks.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final Instant due;
    long seq;

    Task(Callable<V> callable, Instant due) {
      super(callable);
      this.due = due;
    }

    Task(Runnable runnable, Instant due) {
      super(runnable, null);
      this.due = due;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        tasks.remove(this);
      }
      return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
