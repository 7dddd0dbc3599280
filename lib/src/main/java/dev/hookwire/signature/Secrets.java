package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;

/**
 * Generates new keys, each in one call, from a {@link SecureRandom}.
 *
 * <pre>{@code
 * String secret = Secrets.newStandardSecret();          // "whsec_..." for standardWebhooks()
 * Ed25519KeyPair pair = Secrets.newEd25519KeyPair();   // for standardWebhooksEd25519()
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Secrets {
  /** Fewest random bytes in a Standard Webhooks secret, as the specification requires. */
  public static final int MIN_SECRET_BYTES = 24;

  /** Most random bytes in a Standard Webhooks secret, as the specification requires. */
  public static final int MAX_SECRET_BYTES = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * Generates a Standard Webhooks secret of 32 random bytes.
   *
   * @return {@code whsec_} followed by the base64 of the bytes
   */
  public static String newStandardSecret() {
    return newStandardSecret(32);
  }

  /**
   * Generates a Standard Webhooks secret.
   *
   * @param byteCount how many random bytes, from {@value #MIN_SECRET_BYTES} to {@value
   *     #MAX_SECRET_BYTES}
   * @return {@code whsec_} followed by the base64 of the bytes
   * @throws IllegalArgumentException if {@code byteCount} is out of range
   */
  public static String newStandardSecret(int byteCount) {
    if (byteCount < MIN_SECRET_BYTES || byteCount > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "byteCount must be from "
              + MIN_SECRET_BYTES
              + " to "
              + MAX_SECRET_BYTES
              + ", but is "
              + byteCount);
    }
    byte[] bytes = new byte[byteCount];
    RANDOM.nextBytes(bytes);
    try {
      return StandardWebhooksScheme.SECRET_PREFIX + Encoding.base64(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Generates a secret for the text-keyed HMAC schemes (Intelligems, Insightarc, GitHub,
   * Shopify, Stripe, custom): 32 random bytes as 64 lower-case hex digits.
   *
   * @return the secret's text
   */
  public static String newTextSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    try {
      return Encoding.hex(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Generates an Ed25519 key pair for Standard Webhooks v1a with the JDK's own Ed25519.
   *
   * @return the pair: {@code whsk_} (the 32-byte seed followed by the 32-byte public key) for
   *     the signer, {@code whpk_} for verifiers
   */
  public static Ed25519KeyPair newEd25519KeyPair() {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
    byte[] seed =
        ((EdECPrivateKey) pair.getPrivate())
            .getBytes()
            .orElseThrow(() -> new IllegalStateException("the Ed25519 seed is not extractable"));
    byte[] publicKey = Ed25519Scheme.rawPublicKey(pair.getPublic());
    byte[] secret = Arrays.copyOf(seed, 64);
    System.arraycopy(publicKey, 0, secret, 32, 32);
    try {
      return new Ed25519KeyPair(
          Ed25519Scheme.SECRET_PREFIX + Encoding.base64(secret),
          Ed25519Scheme.PUBLIC_PREFIX + Encoding.base64(publicKey));
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(secret, (byte) 0);
    }
  }
}
