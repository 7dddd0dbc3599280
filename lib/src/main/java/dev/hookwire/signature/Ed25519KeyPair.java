package dev.hookwire.signature;

import java.util.Objects;

/**
 * An Ed25519 key pair for Standard Webhooks v1a, made by {@link Secrets#newEd25519KeyPair()}.
 *
 * <p>{@code toString()} shows the public key only. Immutable and thread-safe.
 *
 * @param secretKey {@code whsk_...}: keep it secret; give it to {@link Signer.Builder#key(String)}
 * @param publicKey {@code whpk_...}: give it to receivers, for {@link
 *     Verifier.Builder#key(String)}
 */
public record Ed25519KeyPair(String secretKey, String publicKey) {

  /**
   * Checks that both keys are present.
   *
   * @param secretKey {@code whsk_...}, for the signer
   * @param publicKey {@code whpk_...}, for receivers
   */
  public Ed25519KeyPair {
    Objects.requireNonNull(secretKey, "secretKey == null");
    Objects.requireNonNull(publicKey, "publicKey == null");
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[publicKey=" + publicKey + ", secretKey=(hidden)]";
  }
}
