package dev.hookwire.receive;

import java.time.Duration;

/**
 * Hears every request a {@link WebhookReceiver} answers: for metrics, tracing or an audit log.
 * Called on the thread that called {@code receive}, after the handler (if it ran) and before
 * {@code receive} returns, so it must be quick; an exception it throws is logged and changes
 * nothing about the request. Implementations must be thread-safe.
 *
 * <p>Methods have empty defaults, so that later versions can add some without breaking
 * implementations.
 */
public interface ReceiveListener {
  /**
   * Called once per request, whatever its outcome.
   *
   * @param result what was done and what is answered; {@link ReceiveResult#outcome()} is the
   *     fixed set of outcomes to count by
   * @param elapsed how long {@code receive} took, handler included
   */
  default void received(ReceiveResult result, Duration elapsed) {}
}
