package dev.hookwire.signature;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Verifier} established about an authentic request.
 *
 * <p>Immutable and thread-safe.
 *
 * @param scheme the scheme whose signature matched
 * @param webhookId the sender's message id, for schemes that sign one (Standard Webhooks); the
 *     receiver de-duplicates by it
 * @param timestamp the signed send time, for schemes that sign one (Standard Webhooks, Stripe)
 * @param keyIndex the position, among the verifier's keys in the order they were added, of the key
 *     that matched; during a rotation this tells whether senders have moved to the new key
 */
public record VerifiedWebhook(
    SignatureScheme scheme, Optional<String> webhookId, Optional<Instant> timestamp, int keyIndex) {

  /**
   * Validates the components.
   *
   * @param scheme the scheme whose signature matched
   * @param webhookId the sender's message id, or empty
   * @param timestamp the signed send time, or empty
   * @param keyIndex the position of the key that matched
   * @throws IllegalArgumentException if {@code keyIndex} is negative
   */
  public VerifiedWebhook {
    Objects.requireNonNull(scheme, "scheme == null");
    Objects.requireNonNull(webhookId, "webhookId == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
    if (keyIndex < 0) {
      throw new IllegalArgumentException("keyIndex < 0: " + keyIndex);
    }
  }
}
