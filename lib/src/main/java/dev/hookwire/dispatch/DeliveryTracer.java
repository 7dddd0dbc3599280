package dev.hookwire.dispatch;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.AttemptRecord;
import java.util.Map;
import java.util.Optional;

/**
 * Follows events through the queue for a tracing system: it captures the sender's trace context
 * when an event is sent, which the store keeps with the event, so that it survives the queue, a
 * restart and a hand-over to another node; then it follows each attempt, from that context.
 * OpenTelemetry's is in {@code hookwire-opentelemetry}; set one with {@link
 * Dispatcher.Builder#tracer}.
 *
 * <p>{@link #capture} runs on the thread that calls {@code send}; the rest on dispatcher and
 * transport threads. Everything must be quick and must not block. An exception a tracer throws
 * is logged, and the event is sent and the attempt made as without it. Implementations must be
 * thread-safe.
 */
public interface DeliveryTracer {

  /**
   * Captures what to keep with an event as it is sent: typically the W3C trace context of the
   * caller's current span.
   *
   * @param event the event being sent
   * @return printable ASCII, at most {@value dev.hookwire.store.spi.NewMessage#MAX_TRACE_CONTEXT_LENGTH}
   *     characters, or empty to keep nothing
   */
  Optional<String> capture(WebhookEvent<?> event);

  /**
   * An attempt is about to be sent.
   *
   * @param attempt the attempt, with its lag
   * @param endpoint the endpoint; {@link Endpoint#sendsTraceContext()} says whether its requests
   *     may carry a trace context
   * @param traceContext what {@link #capture} returned when the event was sent, if anything
   * @return what follows the attempt: its extra headers, and what to do when it ends
   */
  AttemptTrace attemptStarted(AttemptStart attempt, Endpoint endpoint, Optional<String> traceContext);

  /** What follows one attempt. Thread-safe: {@link #ended} may run on another thread. */
  interface AttemptTrace {
    /**
     * Returns headers to add to the attempt's request, such as {@code traceparent}. A header the
     * request has already (the signature, the endpoint's own, its credentials) is kept as it is,
     * and an invalid one is left out and logged.
     *
     * @return header names to values; empty by default
     */
    default Map<String, String> headers() {
      return Map.of();
    }

    /**
     * The attempt ended, as the dispatcher records it. Called once.
     *
     * @param attempt how it ended
     */
    default void ended(AttemptRecord attempt) {}
  }
}
