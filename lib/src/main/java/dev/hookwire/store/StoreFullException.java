package dev.hookwire.store;

/**
 * A store refused new deliveries because taking them would exceed the bound on what it holds,
 * such as {@link dev.hookwire.store.memory.InMemoryDeliveryStore.Builder#maxPending}. Nothing of
 * the refused call was stored. {@code Dispatcher.send} throws it unchanged, so the host decides:
 * wait and send again, shed the event, or raise the bound. The message names the bound and how
 * to raise it.
 */
public final class StoreFullException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The bound the refused call would have exceeded. */
  private final long limit;

  /**
   * Creates the exception.
   *
   * @param message what was refused, the bound, and how to raise it
   * @param limit the bound that the call would have exceeded
   */
  public StoreFullException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /**
   * Returns the bound that the refused call would have exceeded.
   *
   * @return the bound, in deliveries
   */
  public long limit() {
    return limit;
  }
}
