package dev.hookwire.store.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to store: one serialised body of one event, shared by every delivery that sends it.
 * An event sent to endpoints with different payload mappers has one message per distinct body.
 *
 * <p>Immutable, except that {@code body} is shared, not copied; nobody may change it.
 * Thread-safe.
 *
 * @param messageId the message's id, unique in the store
 * @param eventId the event's id, sent as the webhook id
 * @param eventType the event's type
 * @param createdAt when it was enqueued
 * @param body the exact bytes to send
 * @param orderingKey deliveries of messages with the same key to the same endpoint are attempted
 *     one at a time, in enqueue order
 * @param traceContext text a {@code DeliveryTracer} captured when the event was sent (the W3C
 *     trace context, say), kept with the message and handed back with each claim of its
 *     deliveries; printable ASCII, at most {@value #MAX_TRACE_CONTEXT_LENGTH} characters
 */
public record NewMessage(
    String messageId,
    String eventId,
    String eventType,
    Instant createdAt,
    byte[] body,
    Optional<String> orderingKey,
    Optional<String> traceContext) {

  /** The longest trace context a store must keep. */
  public static final int MAX_TRACE_CONTEXT_LENGTH = 1024;

  /**
   * Validates the components.
   *
   * @param messageId the message's id
   * @param eventId the event's id
   * @param eventType the event's type
   * @param createdAt when it was enqueued
   * @param body the bytes to send
   * @param orderingKey the ordering key, if any
   * @param traceContext the trace context, if any
   * @throws IllegalArgumentException if the trace context is longer than {@value
   *     #MAX_TRACE_CONTEXT_LENGTH} characters or not printable ASCII
   */
  public NewMessage {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(orderingKey, "orderingKey == null");
    Objects.requireNonNull(traceContext, "traceContext == null");
    traceContext.ifPresent(NewMessage::checkTraceContext);
  }

  /**
   * Checks a trace context as this record does.
   *
   * @param context the trace context
   * @throws IllegalArgumentException if it is longer than {@value #MAX_TRACE_CONTEXT_LENGTH}
   *     characters or not printable ASCII
   */
  public static void checkTraceContext(String context) {
    if (context.length() > MAX_TRACE_CONTEXT_LENGTH) {
      throw new IllegalArgumentException(
          "traceContext is " + context.length() + " characters; at most " + MAX_TRACE_CONTEXT_LENGTH + " are kept");
    }
    for (int i = 0; i < context.length(); i++) {
      char c = context.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("traceContext must be printable ASCII; character " + i + " is not");
      }
    }
  }

  @Override
  public String toString() {
    return "NewMessage[" + messageId + ", " + eventType + ", " + body.length + " bytes]";
  }
}
