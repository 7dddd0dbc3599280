package dev.hookwire.store;

/** How one attempt ended. */
public enum AttemptOutcome {
  /** The endpoint answered 2xx. */
  SUCCEEDED,
  /** The endpoint answered, with a status that is not 2xx. */
  HTTP_ERROR,
  /** No complete response within the timeout. */
  TIMEOUT,
  /** No response: connection refused or reset, TLS failure, DNS failure. */
  NETWORK_ERROR,
  /**
   * Not sent: the network policy refused the destination (a private or loopback address, a
   * port not allowed), so no packet left the machine.
   */
  REFUSED
}
