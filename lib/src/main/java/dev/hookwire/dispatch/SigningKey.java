package dev.hookwire.dispatch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an endpoint's signing secrets, with the time it stops signing if it is being rotated
 * out.
 *
 * <p>Immutable and thread-safe; {@code toString()} never shows the secret.
 *
 * @param secret the secret, written as the endpoint's scheme expects it
 * @param expiresAt when it stops signing; empty while it is current
 */
public record SigningKey(String secret, Optional<Instant> expiresAt) {

  /**
   * Validates the components.
   *
   * @param secret the secret
   * @param expiresAt when it stops signing, if ever
   */
  public SigningKey {
    Objects.requireNonNull(secret, "secret == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
  }

  /**
   * A current key.
   *
   * @param secret the secret
   * @return the key
   */
  public static SigningKey of(String secret) {
    return new SigningKey(secret, Optional.empty());
  }

  boolean activeAt(Instant now) {
    return expiresAt.isEmpty() || now.isBefore(expiresAt.get());
  }

  @Override
  public String toString() {
    return "SigningKey[" + expiresAt.map(t -> "expires " + t).orElse("current") + "]";
  }
}
