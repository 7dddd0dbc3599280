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
 */
public record NewMessage(
    String messageId,
    String eventId,
    String eventType,
    Instant createdAt,
    byte[] body,
    Optional<String> orderingKey) {

  /**
   * Validates the components.
   *
   * @param messageId the message's id
   * @param eventId the event's id
   * @param eventType the event's type
   * @param createdAt when it was enqueued
   * @param body the bytes to send
   * @param orderingKey the ordering key, if any
   */
  public NewMessage {
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(orderingKey, "orderingKey == null");
  }

  @Override
  public String toString() {
    return "NewMessage[" + messageId + ", " + eventType + ", " + body.length + " bytes]";
  }
}
