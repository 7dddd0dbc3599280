package dev.hookwire.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waits for futures in tests: a test waits on the outcome itself, never sleeps, and fails
 * with a clear message when the outcome does not come. Stateless and thread-safe.
 */
public final class Futures {
  /** How long a test waits for a future that should complete; far beyond what any needs. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private Futures() {}

  /**
   * Waits, bounded, for a future that must succeed, and returns its value.
   *
   * @param <T> the value's type
   * @param future the future
   * @return its value
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if it fails or does not complete within {@link #WAIT}
   */
  public static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT);
    }
  }

  /**
   * Waits, bounded, for a future that must fail, and returns why.
   *
   * @param future the future
   * @return the failure, unwrapped from its {@link ExecutionException}
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if it succeeds or does not complete within {@link #WAIT}
   */
  public static Throwable awaitFailure(CompletableFuture<?> future) throws InterruptedException {
    try {
      Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isNotNull();
      return e.getCause();
    } catch (TimeoutException e) {
      return fail("no result within " + WAIT);
    }
  }
}
