package dev.hookwire.signature;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.util.List;
import java.util.Objects;

/** Accepts what any of several verifiers accepts; see {@link Verifier#anyOf}. */
final class AnyOfVerifier implements Verifier {
  private final List<Verifier> verifiers;

  AnyOfVerifier(List<Verifier> verifiers) {
    if (verifiers.isEmpty()) {
      throw new IllegalArgumentException("anyOf needs at least one verifier");
    }
    this.verifiers = verifiers;
  }

  @Override
  public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    SignatureVerificationException furthest = null;
    for (Verifier verifier : verifiers) {
      try {
        return verifier.verify(headers, body);
      } catch (SignatureVerificationException e) {
        if (furthest == null || progress(e.reason()) > progress(furthest.reason())) {
          furthest = e;
        }
      }
    }
    throw furthest;
  }

  /** How far through the checks a request got before failing; later failures say more. */
  private static int progress(Reason reason) {
    switch (reason) {
      case MISSING_HEADER:
        return 0;
      case BODY_TOO_LARGE:
        return 1;
      case MALFORMED_HEADER:
        return 2;
      case TIMESTAMP_TOO_OLD:
      case TIMESTAMP_TOO_NEW:
        return 3;
      default:
        return 4;
    }
  }

  @Override
  public String toString() {
    return "Verifier.anyOf" + verifiers;
  }
}
