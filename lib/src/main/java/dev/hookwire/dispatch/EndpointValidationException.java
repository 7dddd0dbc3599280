package dev.hookwire.dispatch;

import dev.hookwire.HookwireException;

/**
 * An endpoint failed a check at registration: its URL, its destination (the network policy),
 * or the HEAD request that must answer 2xx over a valid TLS certificate.
 *
 * <p>{@link #check()} names the check. Immutable and thread-safe.
 */
public final class EndpointValidationException extends HookwireException {
  private static final long serialVersionUID = 1L;

  /** Which registration check an endpoint failed. */
  public enum Check {
    /** The destination is refused by the network policy (private address, not https). */
    DESTINATION,
    /** The HEAD request got no response: connection, DNS or TLS certificate failure. */
    REACHABILITY,
    /** The HEAD request got a response that is not 2xx. */
    STATUS
  }

  /** The check that failed. */
  private final Check check;

  /**
   * Creates the exception.
   *
   * @param check the check that failed
   * @param message what failed, in words that help fix it
   * @param cause the underlying failure, or null
   */
  public EndpointValidationException(Check check, String message, Throwable cause) {
    super(message, cause);
    this.check = check;
  }

  /**
   * Returns the check that failed.
   *
   * @return the check
   */
  public Check check() {
    return check;
  }
}
