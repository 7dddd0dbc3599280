package dev.hookwire.store;

import dev.hookwire.HookwireException;
import dev.hookwire.store.spi.DeliveryStore;

/**
 * A {@link DeliveryStore} could not read or write: its database is unreachable, a statement
 * failed. The cause is kept. Whatever the store had accepted before stays accepted.
 */
public final class StoreException extends HookwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the store was doing
   * @param cause the underlying failure
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
