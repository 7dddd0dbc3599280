package dev.hookwire.dispatch;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler a dispatcher makes when the host gives none: one daemon thread that ends with the
 * dispatcher. Timers still waiting at shutdown (the next poll, pruning an hour away) are dropped,
 * and {@link #stop} returns once the thread has ended. Thread-safe.
 */
final class OwnScheduler extends ScheduledThreadPoolExecutor {
  static final String THREAD_NAME = "hookwire-dispatcher";

  private volatile Thread thread;

  OwnScheduler() {
    super(1);
    setThreadFactory(
        r -> {
          Thread t = new Thread(r, THREAD_NAME);
          t.setDaemon(true);
          thread = t;
          return t;
        });
    setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    setRemoveOnCancelPolicy(true);
  }

  /**
   * Shuts down without interrupting the task that runs (a JDBC driver may take an interrupt
   * badly) and waits up to {@code wait} for the thread to end, unless called from it.
   *
   * @return whether the thread has ended (or is the caller)
   */
  boolean stop(Duration wait) {
    shutdown();
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return true;
    }
    try {
      if (awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        t.join(wait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }
}
