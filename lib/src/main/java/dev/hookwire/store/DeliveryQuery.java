package dev.hookwire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Selects deliveries: by endpoint, event and state, created at or after a time, newest first.
 *
 * <p>Immutable and thread-safe.
 *
 * @param endpointId only this endpoint's, if present
 * @param eventId only this event's, if present
 * @param state only in this state, if present
 * @param createdSince only those created at or after this time
 * @param limit the most to return
 */
public record DeliveryQuery(
    Optional<String> endpointId,
    Optional<String> eventId,
    Optional<DeliveryState> state,
    Instant createdSince,
    int limit) {

  /**
   * Validates the components.
   *
   * @param endpointId the endpoint filter
   * @param eventId the event filter
   * @param state the state filter
   * @param createdSince the earliest creation time
   * @param limit the most to return
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public DeliveryQuery {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(createdSince, "createdSince == null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /**
   * Selects every delivery of one event.
   *
   * @param eventId the event's id
   * @return the query
   */
  public static DeliveryQuery forEvent(String eventId) {
    return new DeliveryQuery(
        Optional.empty(), Optional.of(eventId), Optional.empty(), Instant.EPOCH, 10_000);
  }

  /**
   * Selects one endpoint's deliveries in a state, created at or after a time.
   *
   * @param endpointId the endpoint
   * @param state the state
   * @param createdSince the earliest creation time
   * @param limit the most to return
   * @return the query
   */
  public static DeliveryQuery forEndpoint(
      String endpointId, DeliveryState state, Instant createdSince, int limit) {
    return new DeliveryQuery(
        Optional.of(endpointId), Optional.empty(), Optional.of(state), createdSince, limit);
  }
}
