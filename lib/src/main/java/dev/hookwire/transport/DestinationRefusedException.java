package dev.hookwire.transport;

import java.io.IOException;

/**
 * Thrown, or used to fail a request, when the {@link NetworkPolicy} refuses a destination.
 *
 * <p>It is an {@link IOException} because it surfaces where I/O would have happened: the
 * dispatcher records it as a failed attempt. Registration turns it into an unchecked error
 * naming the check that failed.
 */
public final class DestinationRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which destination was refused and why
   */
  public DestinationRefusedException(String message) {
    super(message);
  }
}
