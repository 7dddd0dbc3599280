package dev.hookwire.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hookwire.transport.NetworkPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A network policy for transports in tests, and bounded waits on their futures. Test servers
 * listen on loopback, which the policy allows.
 */
public final class TestTransports {
  /** A policy that lets requests reach loopback, where test servers listen. */
  public static final NetworkPolicy LOOPBACK_ALLOWED =
      NetworkPolicy.builder().allowPrivateNetworks(true).build();

  /** How long a test waits for a future that should complete; far beyond what any needs. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private TestTransports() {}

  /** Waits, bounded, for a future that must succeed, and returns its value. */
  public static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT);
    }
  }

  /** Waits, bounded, for a future that must fail, and returns why (unwrapped). */
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
