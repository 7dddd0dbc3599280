package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import dev.hookwire.internal.HmacKey;
import java.util.List;
import javax.crypto.Mac;

/** Standard Webhooks v1: HMAC-SHA256 over {@code id.timestamp.body}, secrets {@code whsec_}. */
final class StandardWebhooksScheme extends SignatureScheme {
  static final StandardWebhooksScheme INSTANCE = new StandardWebhooksScheme();
  static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";

  private StandardWebhooksScheme() {
    super("standard");
  }

  @Override
  boolean signsTimestamp() {
    return true;
  }

  @Override
  Object signingKey(String key, int index) {
    String encoded = key.startsWith(SECRET_PREFIX) ? key.substring(SECRET_PREFIX.length()) : key;
    byte[] bytes = Encoding.unbase64(encoded.trim());
    if (bytes == null) {
      throw new IllegalArgumentException(
          "key #"
              + index
              + " is not a Standard Webhooks secret: expected whsec_ followed by base64 (or the"
              + " base64 alone)");
    }
    return hmacKey(ALGORITHM, bytes, index);
  }

  @Override
  Object rawKey(byte[] key, int index) {
    return hmacKey(ALGORITHM, key, index);
  }

  @Override
  Signer newSigner(Signer.Builder builder) {
    return StandardWebhooksFormat.signer(
        INSTANCE, VERSION, List.of(hmacKeys(builder.keys())), StandardWebhooksScheme::mac);
  }

  @Override
  Verifier newVerifier(Verifier.Builder builder) {
    return new V1Verifier(new Checks(builder), hmacKeys(builder.keys()));
  }

  private static HmacKey[] hmacKeys(List<Object> keys) {
    return keys.toArray(new HmacKey[0]);
  }

  static byte[] mac(HmacKey key, byte[] id, byte[] timestamp, byte[] body) {
    Mac mac = key.mac();
    mac.update(id);
    mac.update((byte) '.');
    mac.update(timestamp);
    mac.update((byte) '.');
    mac.update(body);
    return mac.doFinal();
  }

  private static final class V1Verifier implements Verifier {
    private final Checks checks;
    private final HmacKey[] keys;

    V1Verifier(Checks checks, HmacKey[] keys) {
      this.checks = checks;
      this.keys = keys;
    }

    @Override
    public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) {
      // Expected MACs are computed once per request, on the first v1 candidate.
      byte[][] expected = new byte[keys.length][];
      return StandardWebhooksFormat.verify(
          checks,
          INSTANCE,
          VERSION,
          keys.length,
          headers,
          body,
          (id, ts, b, signature) ->
              Checks.matchingKey(expected, i -> mac(keys[i], id, ts, b), signature));
    }

    @Override
    public String toString() {
      return "Verifier[standard, " + keys.length + " key(s)]";
    }
  }
}
