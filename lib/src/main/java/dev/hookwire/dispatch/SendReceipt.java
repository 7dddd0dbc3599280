package dev.hookwire.dispatch;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Dispatcher#send} stored: the event's id and one delivery per subscribed endpoint;
 * or what {@link Dispatcher#sendTo} stored: the event's id and its one delivery.
 *
 * <p>Immutable and thread-safe.
 *
 * @param eventId the event's id, sent as the webhook id
 * @param deliveryIds one delivery per endpoint subscribed to the event's type, empty if none is;
 *     for {@code sendTo}, the one delivery to the endpoint
 */
public record SendReceipt(String eventId, List<String> deliveryIds) {

  /**
   * Copies the components.
   *
   * @param eventId the event's id
   * @param deliveryIds the deliveries stored
   */
  public SendReceipt {
    Objects.requireNonNull(eventId, "eventId == null");
    deliveryIds = List.copyOf(deliveryIds);
  }
}
