package dev.hookwire.signature;

import dev.hookwire.internal.HmacKey;
import java.util.List;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule on HMAC key length, for both sides: signers refuse a key shorter than {@link
 * Signer#MIN_HMAC_KEY_BYTES}; verifiers accept it, because they must accept what real senders
 * use, and warn once per verifier. Messages name keys by index and length, never by content.
 */
final class ShortKeys {
  private static final Logger log = LoggerFactory.getLogger(Verifier.class);

  private ShortKeys() {}

  /**
   * Returns {@code key} if it may sign: an HMAC key of at least the minimum length, or a key of
   * another kind.
   *
   * @throws IllegalArgumentException if it is a shorter HMAC key
   */
  static Object requireSigningLength(SignatureScheme scheme, Object key, int index) {
    int length = shortLength(key);
    if (length >= 0) {
      boolean standard = scheme instanceof StandardWebhooksScheme;
      throw new IllegalArgumentException(
          "key #"
              + index
              + (standard ? " decodes to " : " is ")
              + bytes(length)
              + (standard ? "" : " long")
              + ", but a signing key needs at least "
              + Signer.MIN_HMAC_KEY_BYTES
              + " bytes: make one with "
              + (standard ? "Secrets.newStandardSecret()" : "Secrets.newTextSecret()"));
    }
    return key;
  }

  /** Logs one warning naming every HMAC key of a verifier that is too short to sign with. */
  static void warnIfShort(SignatureScheme scheme, List<Object> keys) {
    StringJoiner found = new StringJoiner(", ");
    for (int i = 0; i < keys.size(); i++) {
      int length = shortLength(keys.get(i));
      if (length >= 0) {
        found.add("key #" + i + " (" + bytes(length) + ")");
      }
    }
    if (found.length() > 0) {
      log.warn(
          "{} verifier accepts {}, shorter than the {} bytes a Hookwire signer needs; a short key"
              + " is easier to guess: ask the sender for a longer secret",
          scheme.name(),
          found,
          Signer.MIN_HMAC_KEY_BYTES);
    }
  }

  /** The key's length if it is an HMAC key too short to sign with, else -1. */
  private static int shortLength(Object key) {
    return key instanceof HmacKey hmac && hmac.keyLength() < Signer.MIN_HMAC_KEY_BYTES
        ? hmac.keyLength()
        : -1;
  }

  private static String bytes(int n) {
    return n == 1 ? "1 byte" : n + " bytes";
  }
}
