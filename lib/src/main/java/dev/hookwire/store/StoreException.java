package dev.hookwire.store;

import dev.hookwire.HookwireException;
import dev.hookwire.store.spi.DeliveryStore;

/**
 * A {@link DeliveryStore} could not read or write: its database is unreachable, a statement
 * failed (the cause is kept), or it refused to take more because it is full ({@link
 * StoreFullException}). Whatever the store had accepted before stays accepted.
 */
public class StoreException extends HookwireException {
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

  /**
   * Creates an exception for a refusal that has no underlying failure, for subclasses.
   *
   * @param message what the store refused, and why
   */
  protected StoreException(String message) {
    super(message);
  }
}
