package dev.hookwire.receive;

import dev.hookwire.signature.WebhookHeaders;
import java.util.function.Supplier;

/**
 * Wraps the handling of each request a {@link WebhookReceiver} receives, such as a tracer that
 * continues the sender's trace from the request's {@code traceparent} and makes its span current
 * while the handler runs (OpenTelemetry's is in {@code hookwire-opentelemetry}).
 *
 * <p>{@code proceed} verifies, parses, de-duplicates and runs the handler, on the calling thread,
 * and never throws for a bad request; an interceptor calls it once and returns its result. It
 * runs on the thread that called {@code receive}; an exception it throws reaches that caller.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ReceiveInterceptor {
  /**
   * Handles one request through {@code proceed}.
   *
   * @param headers the request's headers, unverified: nothing in them is to be trusted before
   *     {@code proceed} returns a success
   * @param proceed the handling of the request
   * @return what {@code proceed} returned
   */
  ReceiveResult intercept(WebhookHeaders headers, Supplier<ReceiveResult> proceed);
}
