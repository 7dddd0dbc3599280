package dev.hookwire.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a long-running command (listen) to stop: Ctrl-C in a terminal, {@link #request()} in
 * tests. The command calls {@link #await()}, cleans up, then {@link #stopped()}; a Ctrl-C waits
 * for that, for a few seconds at most, so that the command's last lines are printed before the
 * JVM exits.
 */
final class StopSignal {
  private static final long CLEAN_UP_SECONDS = 5;

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final boolean onCtrlC;
  private boolean hooked;

  private StopSignal(boolean onCtrlC) {
    this.onCtrlC = onCtrlC;
  }

  /** A signal raised only by {@link #request()}. */
  static StopSignal manual() {
    return new StopSignal(false);
  }

  /** A signal raised when the JVM is asked to exit: Ctrl-C, SIGTERM. */
  static StopSignal onCtrlC() {
    return new StopSignal(true);
  }

  /** Asks the command to stop. */
  void request() {
    requested.countDown();
  }

  /** Waits until a stop is requested. */
  void await() throws InterruptedException {
    synchronized (this) {
      if (onCtrlC && !hooked) {
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopFromHook, "hookwire-stop"));
      }
    }
    requested.await();
  }

  /** Says the command has finished cleaning up. */
  void stopped() {
    stopped.countDown();
  }

  private void stopFromHook() {
    request();
    try {
      stopped.await(CLEAN_UP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
