package dev.hookwire.signature;

/** The hash function of an HMAC signature scheme. */
public enum HmacAlgorithm {
  /** HMAC-SHA1: legacy, still used by some senders (Insightarc). */
  SHA1("HmacSHA1"),
  /** HMAC-SHA256: the usual choice. */
  SHA256("HmacSHA256"),
  /** HMAC-SHA512. */
  SHA512("HmacSHA512");

  private final String jcaName;

  HmacAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** The algorithm's JCA name, for {@code javax.crypto.Mac.getInstance}. */
  String jcaName() {
    return jcaName;
  }
}
