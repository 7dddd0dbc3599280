package dev.hookwire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event's delivery to one endpoint, as the store knows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param deliveryId the delivery's id
 * @param endpointId the endpoint
 * @param eventId the event's id
 * @param eventType the event's type
 * @param state where it stands
 * @param attempts attempts made since it was enqueued or last replayed
 * @param createdAt when it was enqueued
 * @param nextAttemptAt when it is due next (meaningful while {@link DeliveryState#PENDING})
 * @param updatedAt when it last changed
 * @param lastAttempt the latest attempt, if any
 */
public record DeliveryRecord(
    String deliveryId,
    String endpointId,
    String eventId,
    String eventType,
    DeliveryState state,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Instant updatedAt,
    Optional<AttemptRecord> lastAttempt) {

  /**
   * Validates the components.
   *
   * @param deliveryId the delivery's id
   * @param endpointId the endpoint
   * @param eventId the event's id
   * @param eventType the event's type
   * @param state where it stands
   * @param attempts attempts made
   * @param createdAt when it was enqueued
   * @param nextAttemptAt when it is due next
   * @param updatedAt when it last changed
   * @param lastAttempt the latest attempt, if any
   */
  public DeliveryRecord {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    Objects.requireNonNull(lastAttempt, "lastAttempt == null");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts < 0: " + attempts);
    }
  }
}
