package dev.hookwire.store.spi;

import java.util.Objects;

/**
 * A delivery to store: one message to one endpoint, due at once.
 *
 * <p>Immutable and thread-safe.
 *
 * @param deliveryId the delivery's id, unique in the store
 * @param messageId the message it sends, stored in the same call
 * @param endpointId the endpoint it goes to
 */
public record NewDelivery(String deliveryId, String messageId, String endpointId) {

  /**
   * Validates the components.
   *
   * @param deliveryId the delivery's id
   * @param messageId the message it sends
   * @param endpointId the endpoint it goes to
   */
  public NewDelivery {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    Objects.requireNonNull(messageId, "messageId == null");
    Objects.requireNonNull(endpointId, "endpointId == null");
  }
}
