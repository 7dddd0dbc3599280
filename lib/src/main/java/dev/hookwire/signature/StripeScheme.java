package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import dev.hookwire.internal.HmacKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * Stripe's format: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]}, HMAC-SHA256 over
 * {@code t.body} keyed with the secret's text (its {@code whsec_} prefix included).
 */
final class StripeScheme extends SignatureScheme {
  static final StripeScheme INSTANCE = new StripeScheme();
  static final String HEADER = "Stripe-Signature";
  private static final String ALGORITHM = "HmacSHA256";

  private StripeScheme() {
    super("stripe");
  }

  @Override
  boolean signsTimestamp() {
    return true;
  }

  @Override
  Object signingKey(String key, int index) {
    return hmacKey(ALGORITHM, key.getBytes(StandardCharsets.UTF_8), index);
  }

  @Override
  Object rawKey(byte[] key, int index) {
    return hmacKey(ALGORITHM, key, index);
  }

  @Override
  Signer newSigner(Signer.Builder builder) {
    return new StripeSigner(builder.keys().toArray(new HmacKey[0]));
  }

  @Override
  Verifier newVerifier(Verifier.Builder builder) {
    return new StripeVerifier(new Checks(builder), builder.keys().toArray(new HmacKey[0]));
  }

  private static byte[] mac(HmacKey key, byte[] timestamp, byte[] body) {
    Mac mac = key.mac();
    mac.update(timestamp);
    mac.update((byte) '.');
    mac.update(body);
    return mac.doFinal();
  }

  private static final class StripeSigner implements Signer {
    private final HmacKey[] keys;

    StripeSigner(HmacKey[] keys) {
      this.keys = keys;
    }

    @Override
    public SignatureScheme scheme() {
      return INSTANCE;
    }

    @Override
    public Map<String, String> sign(String webhookId, Instant timestamp, byte[] body) {
      long seconds = Checks.signingSeconds(timestamp);
      java.util.Objects.requireNonNull(body, "body == null");
      String t = Long.toString(seconds);
      byte[] ts = t.getBytes(StandardCharsets.US_ASCII);
      StringBuilder value = new StringBuilder("t=").append(t);
      for (HmacKey key : keys) {
        value.append(",v1=").append(Encoding.hex(mac(key, ts, body)));
      }
      return Map.of(HEADER, value.toString());
    }

    @Override
    public String toString() {
      return "Signer[stripe, " + keys.length + " key(s)]";
    }
  }

  private static final class StripeVerifier implements Verifier {
    private final Checks checks;
    private final HmacKey[] keys;

    StripeVerifier(Checks checks, HmacKey[] keys) {
      this.checks = checks;
      this.keys = keys;
    }

    @Override
    public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) {
      checks.body(body);
      String header = checks.header(headers, HEADER);
      String timestamp = null;
      int candidates = 0;
      int malformed = 0;
      String[] items = header.split(",", 64);
      for (String item : items) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
          malformed++;
          continue;
        }
        String name = item.substring(0, eq).trim();
        if (name.equals("t") && timestamp == null) {
          timestamp = item.substring(eq + 1);
        } else if (name.equals("v1")) {
          candidates++;
        }
      }
      if (timestamp == null) {
        throw Checks.malformed(
            HEADER
                + " has no t=<timestamp> element"
                + (malformed > 0 ? " (" + malformed + " elements are not name=value)" : ""));
      }
      long seconds = checks.timestamp(timestamp, HEADER + " t");
      if (candidates == 0) {
        throw checks.noMatch(
            HEADER, 0, keys.length, ": it has no v1= signature (a test-mode v0 is not accepted)");
      }
      byte[] ts = Long.toString(seconds).getBytes(StandardCharsets.US_ASCII);
      byte[][] expected = new byte[keys.length][];
      int valid = 0;
      for (String item : items) {
        int eq = item.indexOf('=');
        if (eq <= 0 || !item.substring(0, eq).trim().equals("v1")) {
          continue;
        }
        byte[] signature = Encoding.unhex(item.substring(eq + 1).trim());
        if (signature == null || signature.length == 0) {
          continue;
        }
        valid++;
        int match = Checks.matchingKey(expected, i -> mac(keys[i], ts, body), signature);
        if (match >= 0) {
          return new VerifiedWebhook(
              INSTANCE, Optional.empty(), Optional.of(Instant.ofEpochSecond(seconds)), match);
        }
      }
      if (valid == 0) {
        throw Checks.malformed(HEADER + " has v1= elements, but none is hexadecimal");
      }
      throw checks.noMatch(HEADER, valid, keys.length, "");
    }

    @Override
    public String toString() {
      return "Verifier[stripe, " + keys.length + " key(s)]";
    }
  }
}
