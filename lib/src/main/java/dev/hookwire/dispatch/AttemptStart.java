package dev.hookwire.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An attempt about to be sent, as {@link DeliveryListener#attemptStarted} hears it. Immutable and
 * thread-safe.
 *
 * @param deliveryId the delivery
 * @param endpointId the endpoint it goes to
 * @param eventId the event's id
 * @param eventType the event's type
 * @param attemptNumber the attempt's number, from 1
 * @param dueAt when it was due: when the event was sent for the first attempt, the retry time for
 *     later ones
 * @param startedAt when it starts
 */
public record AttemptStart(
    String deliveryId,
    String endpointId,
    String eventId,
    String eventType,
    int attemptNumber,
    Instant dueAt,
    Instant startedAt) {

  /**
   * Validates the components.
   *
   * @param deliveryId the delivery
   * @param endpointId the endpoint
   * @param eventId the event's id
   * @param eventType the event's type
   * @param attemptNumber from 1
   * @param dueAt when it was due
   * @param startedAt when it starts
   * @throws IllegalArgumentException if {@code attemptNumber} is below 1
   */
  public AttemptStart {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(dueAt, "dueAt == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    if (attemptNumber < 1) {
      throw new IllegalArgumentException("attemptNumber must be at least 1: " + attemptNumber);
    }
  }

  /**
   * Returns how late the attempt starts: the delivery lag, from when it was due until now; zero
   * if it starts early (a replay, or a clock between nodes that differ).
   *
   * @return the lag, never negative
   */
  public Duration lag() {
    Duration lag = Duration.between(dueAt, startedAt);
    return lag.isNegative() ? Duration.ZERO : lag;
  }
}
