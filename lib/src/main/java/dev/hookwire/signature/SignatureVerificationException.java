package dev.hookwire.signature;

import dev.hookwire.HookwireException;
import java.util.Objects;

/**
 * Thrown by a {@link Verifier} when a request is not an authentic, fresh webhook.
 *
 * <p>{@link #reason()} says, in a form a program can act on, which check failed; the message says
 * it in words that help whoever set up the sender or the receiver to fix it. The message never
 * contains a secret or an expected signature. Immutable and safe to share between threads.
 */
public final class SignatureVerificationException extends HookwireException {
  private static final long serialVersionUID = 1L;

  /** Which verification check a request failed. */
  public enum Reason {
    /** A header the scheme requires is absent (or empty). */
    MISSING_HEADER,
    /** A required header is present but cannot be read: bad syntax, bad encoding, bad number. */
    MALFORMED_HEADER,
    /** The signed timestamp is further in the past than the verifier's tolerance allows. */
    TIMESTAMP_TOO_OLD,
    /** The signed timestamp is further in the future than the verifier's tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** The headers are well-formed, but no signature in them matches any configured key. */
    NO_MATCHING_SIGNATURE,
    /** The body is larger than the verifier's maximum; it was not examined further. */
    BODY_TOO_LARGE
  }

  /** Which check failed; part of the serialised form. */
  private final Reason reason;

  /**
   * Creates an exception for a failed check.
   *
   * @param reason which check failed
   * @param message what failed and how a user might fix it; never a secret
   */
  public SignatureVerificationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  /**
   * Creates an exception for a failed check, keeping the failure that revealed it.
   *
   * @param reason which check failed
   * @param message what failed and how a user might fix it; never a secret
   * @param cause the lower-level failure, such as a decoding error
   */
  public SignatureVerificationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  /**
   * Returns which check failed.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
