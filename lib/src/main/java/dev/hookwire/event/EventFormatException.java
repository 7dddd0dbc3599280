package dev.hookwire.event;

import dev.hookwire.HookwireException;

/**
 * Thrown when bytes cannot be read as a webhook event, or an event cannot be written as JSON.
 *
 * <p>The message names what is wrong (the field, and the position in the input where known);
 * the parser's own exception is kept as the cause. Immutable and safe to share between threads.
 */
public final class EventFormatException extends HookwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and no cause.
   *
   * @param message what is wrong with the input
   */
  public EventFormatException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the parser failure behind it.
   *
   * @param message what is wrong with the input
   * @param cause the underlying parser or mapper failure
   */
  public EventFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
