package dev.hookwire;

/**
 * The root of every exception Hookwire throws on its own account.
 *
 * <p>Subclasses carry the context of the failure as fields (a reason, an endpoint, the attempts
 * made); the cause, when there is one, is always kept. Instances are immutable once thrown and
 * safe to share between threads.
 */
public class HookwireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and no cause.
   *
   * @param message what went wrong, in words that help the user fix it
   */
  public HookwireException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the exception that caused it.
   *
   * @param message what went wrong, in words that help the user fix it
   * @param cause the underlying failure, kept for diagnosis
   */
  public HookwireException(String message, Throwable cause) {
    super(message, cause);
  }
}
