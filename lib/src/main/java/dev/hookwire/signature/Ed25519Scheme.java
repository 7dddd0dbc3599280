package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Standard Webhooks v1a: Ed25519 over {@code id.timestamp.body}. Secret keys are {@code whsk_}
 * and base64 of the 32-byte seed, or of the 64-byte seed followed by the public key; public keys
 * are {@code whpk_} and base64 of the 32-byte key.
 */
final class Ed25519Scheme extends SignatureScheme {
  static final Ed25519Scheme INSTANCE = new Ed25519Scheme();
  static final String SECRET_PREFIX = "whsk_";
  static final String PUBLIC_PREFIX = "whpk_";
  private static final String VERSION = "v1a";
  private static final String ALGORITHM = "Ed25519";
  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, before the 32 key bytes. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private Ed25519Scheme() {
    super("standard-ed25519");
  }

  @Override
  boolean signsTimestamp() {
    return true;
  }

  @Override
  Object signingKey(String key, int index) {
    byte[] bytes = decode(key, SECRET_PREFIX, PUBLIC_PREFIX, "secret", index);
    if (bytes.length != 32 && bytes.length != 64) {
      throw new IllegalArgumentException(
          "key #"
              + index
              + " is not an Ed25519 secret key: it decodes to "
              + bytes.length
              + " bytes, expected 32 (seed) or 64 (seed and public key)");
    }
    PrivateKey privateKey = privateKey(Arrays.copyOf(bytes, 32));
    if (bytes.length == 64) {
      // The second half must be the seed's own public key, or every signature would fail.
      PublicKey publicKey = publicKey(Arrays.copyOfRange(bytes, 32, 64));
      byte[] probe = {'h', 'o', 'o', 'k', 'w', 'i', 'r', 'e'};
      if (!verifies(publicKey, sign(privateKey, probe), probe)) {
        throw new IllegalArgumentException(
            "key #" + index + ": the public half of this 64-byte whsk_ key is not its seed's own");
      }
    }
    Arrays.fill(bytes, (byte) 0);
    return privateKey;
  }

  @Override
  Object verificationKey(String key, int index) {
    byte[] bytes = decode(key, PUBLIC_PREFIX, SECRET_PREFIX, "public", index);
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "key #"
              + index
              + " is not an Ed25519 public key: it decodes to "
              + bytes.length
              + " bytes, expected 32");
    }
    return publicKey(bytes);
  }

  private static byte[] decode(String key, String prefix, String wrongPrefix, String kind, int i) {
    if (key.startsWith(wrongPrefix)) {
      throw new IllegalArgumentException(
          "key #"
              + i
              + " starts with "
              + wrongPrefix
              + " but a "
              + kind
              + " key ("
              + prefix
              + "...) is needed here: signers take whsk_ keys, verifiers whpk_ keys");
    }
    String encoded = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    byte[] bytes = Encoding.unbase64(encoded.trim());
    if (bytes == null) {
      throw new IllegalArgumentException(
          "key #" + i + " is not an Ed25519 " + kind + " key: expected " + prefix + " and base64");
    }
    return bytes;
  }

  static PrivateKey privateKey(byte[] seed) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid Ed25519 seed", e);
    }
  }

  static PublicKey publicKey(byte[] raw) {
    byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid Ed25519 public key", e);
    }
  }

  /** The 32 raw bytes of a public key: the tail of its X.509 encoding. */
  static byte[] rawPublicKey(PublicKey key) {
    byte[] der = key.getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  private static byte[] sign(PrivateKey key, byte[]... parts) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      update(signature, parts);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static boolean verifies(PublicKey key, byte[] signature, byte[]... parts) {
    if (signature.length != 64) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      update(verifier, parts);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A malformed signature (a point not on the curve, say) is simply not a match.
      return false;
    }
  }

  private static void update(Signature signature, byte[]... parts) throws GeneralSecurityException {
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        signature.update((byte) '.');
      }
      signature.update(parts[i]);
    }
  }

  @Override
  Signer newSigner(Signer.Builder builder) {
    List<PrivateKey> keys = new ArrayList<>();
    for (Object key : builder.keys()) {
      keys.add((PrivateKey) key);
    }
    return StandardWebhooksFormat.signer(
        INSTANCE, VERSION, keys, (key, id, ts, body) -> Ed25519Scheme.sign(key, id, ts, body));
  }

  @Override
  Verifier newVerifier(Verifier.Builder builder) {
    List<PublicKey> keys = new ArrayList<>();
    for (Object key : builder.keys()) {
      keys.add((PublicKey) key);
    }
    return new V1aVerifier(new Checks(builder), List.copyOf(keys));
  }

  private static final class V1aVerifier implements Verifier {
    private final Checks checks;
    private final List<PublicKey> keys;

    V1aVerifier(Checks checks, List<PublicKey> keys) {
      this.checks = checks;
      this.keys = keys;
    }

    @Override
    public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) {
      return StandardWebhooksFormat.verify(
          checks,
          INSTANCE,
          VERSION,
          keys.size(),
          headers,
          body,
          (id, ts, b, signature) -> {
            for (int i = 0; i < keys.size(); i++) {
              if (verifies(keys.get(i), signature, id, ts, b)) {
                return i;
              }
            }
            return -1;
          });
    }

    @Override
    public String toString() {
      return "Verifier[standard-ed25519, " + keys.size() + " key(s)]";
    }
  }
}
