package dev.hookwire.signature;

/** What bytes an HMAC header scheme authenticates. */
public enum SignedContent {
  /** The raw request body, exactly as sent. */
  BODY,
  /**
   * The raw request body followed by the endpoint URL exactly as it was registered, in UTF-8.
   * Binding the URL stops a signed request from being replayed to another endpoint.
   */
  BODY_THEN_URL
}
