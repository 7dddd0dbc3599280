package dev.hookwire.store.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery a node holds under a lease, with everything needed to attempt it.
 *
 * <p>Immutable, except that {@code body} is shared with the store and every other delivery of the
 * message; nobody may change it. Thread-safe.
 *
 * @param deliveryId the delivery's id
 * @param endpointId the endpoint it goes to
 * @param eventId the event's id, sent as the webhook id
 * @param eventType the event's type
 * @param body the exact bytes to send
 * @param orderingKey the message's ordering key, if any
 * @param traceContext the trace context stored with the message, if any
 * @param attempts attempts made before this claim (0 for the first)
 * @param createdAt when the delivery was enqueued
 * @param dueAt when the attempt this claim is for was due: {@code createdAt} for the first one,
 *     the retry time for later ones (its lateness is the dispatcher's delivery lag)
 * @param leaseOwner the node that holds the lease
 * @param leaseUntil when the lease expires and another node may claim it
 * @param claimToken identifies this claim; a completion with a stale token is refused
 */
public record ClaimedDelivery(
    String deliveryId,
    String endpointId,
    String eventId,
    String eventType,
    byte[] body,
    Optional<String> orderingKey,
    Optional<String> traceContext,
    int attempts,
    Instant createdAt,
    Instant dueAt,
    String leaseOwner,
    Instant leaseUntil,
    long claimToken) {

  /**
   * Validates the components.
   *
   * @param deliveryId the delivery's id
   * @param endpointId the endpoint
   * @param eventId the event's id
   * @param eventType the event's type
   * @param body the bytes to send
   * @param orderingKey the ordering key, if any
   * @param traceContext the trace context, if any
   * @param attempts attempts made before
   * @param createdAt when it was enqueued
   * @param dueAt when the attempt was due
   * @param leaseOwner the lease holder
   * @param leaseUntil when the lease expires
   * @param claimToken this claim's token
   */
  public ClaimedDelivery {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(eventId, "eventId == null");
    Objects.requireNonNull(eventType, "eventType == null");
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(orderingKey, "orderingKey == null");
    Objects.requireNonNull(traceContext, "traceContext == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(dueAt, "dueAt == null");
    Objects.requireNonNull(leaseOwner, "leaseOwner == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
  }

  @Override
  public String toString() {
    return "ClaimedDelivery[" + deliveryId + " -> " + endpointId + ", attempts=" + attempts + "]";
  }
}
