package dev.hookwire.signature;

import dev.hookwire.internal.CheckedHeaders;
import dev.hookwire.internal.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of Standard Webhooks that v1 (HMAC) and v1a (Ed25519) share: the three headers, the
 * signed content {@code id.timestamp.body}, and the space-separated {@code version,base64} list.
 */
final class StandardWebhooksFormat {
  static final String ID = "webhook-id";
  static final String TIMESTAMP = "webhook-timestamp";
  static final String SIGNATURE = "webhook-signature";
  /**
   * The most signatures one request may carry. A rotation needs two or three; the cap stops a
   * request with thousands of entries from costing an Ed25519 check each.
   */
  static final int MAX_SIGNATURES = 16;

  private static final CheckedHeaders.Names HEADER_NAMES = CheckedHeaders.names(ID, TIMESTAMP, SIGNATURE);

  private StandardWebhooksFormat() {}

  /**
   * Returns a signer of the three headers that signs with every key, in order, one {@code
   * version,signature} entry each: the v1 (HMAC) and v1a (Ed25519) signers differ only in the key
   * and the function.
   */
  static <K> Signer signer(
      SignatureScheme scheme, String version, List<K> keys, KeySigner<K> sign) {
    return new FormatSigner<>(scheme, version, List.copyOf(keys), sign);
  }

  /** Computes one key's signature over the parts of the signed content. */
  interface KeySigner<K> {
    byte[] sign(K key, byte[] id, byte[] timestamp, byte[] body);
  }

  private static final class FormatSigner<K> implements Signer {
    private final SignatureScheme scheme;
    private final String version;
    private final List<K> keys;
    private final KeySigner<K> sign;

    FormatSigner(SignatureScheme scheme, String version, List<K> keys, KeySigner<K> sign) {
      this.scheme = scheme;
      this.version = version;
      this.keys = keys;
      this.sign = sign;
    }

    @Override
    public SignatureScheme scheme() {
      return scheme;
    }

    @Override
    public Map<String, String> sign(String webhookId, Instant timestamp, byte[] body) {
      Checks.webhookId(webhookId);
      long seconds = Checks.signingSeconds(timestamp);
      java.util.Objects.requireNonNull(body, "body == null");
      byte[] id = webhookId.getBytes(StandardCharsets.US_ASCII);
      String timestampText = Long.toString(seconds);
      byte[] ts = timestampText.getBytes(StandardCharsets.US_ASCII);
      StringBuilder signatures = new StringBuilder(keys.size() * 48);
      for (K key : keys) {
        if (signatures.length() > 0) {
          signatures.append(' ');
        }
        signatures.append(version).append(',').append(Encoding.base64(sign.sign(key, id, ts, body)));
      }
      // Names checked once; the values are checked as they go in (a transport request takes
      // these headers without checking them again).
      return CheckedHeaders.of(HEADER_NAMES, webhookId, timestampText, signatures.toString());
    }

    @Override
    public String toString() {
      return "Signer[" + scheme.name() + ", " + keys.size() + " key(s)]";
    }
  }

  /** Checks one candidate signature against every key; answers the matching key's index or -1. */
  interface MatchFunction {
    int match(byte[] id, byte[] timestamp, byte[] body, byte[] signature);
  }

  /** Verifies a request, matching the signatures of one version with {@code match}. */
  static VerifiedWebhook verify(
      Checks checks,
      SignatureScheme scheme,
      String version,
      int keyCount,
      WebhookHeaders headers,
      byte[] body,
      MatchFunction match) {
    checks.body(body);
    String id = checks.header(headers, ID);
    String timestamp = checks.header(headers, TIMESTAMP);
    checks.header(headers, SIGNATURE);
    long seconds = checks.timestamp(timestamp, TIMESTAMP);

    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw Checks.malformed(
            ID + " may hold only visible ASCII characters, but has U+"
                + String.format("%04X", (int) c) + " at index " + i);
      }
    }
    byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
    // The timestamp is signed as sent (digits only, checked above), not as re-formatted.
    byte[] tsBytes = timestamp.trim().getBytes(StandardCharsets.US_ASCII);
    int candidates = 0;
    int entries = 0;
    int malformed = 0;
    List<String> otherVersions = null;
    // A request may carry its signature list on one line (the standard) or several.
    for (String line : headers.all(SIGNATURE)) {
      int n = line.length();
      int start = 0;
      while (start < n) {
        while (start < n && line.charAt(start) == ' ') {
          start++;
        }
        int end = start;
        while (end < n && line.charAt(end) != ' ') {
          end++;
        }
        if (end > start) {
          if (++entries > MAX_SIGNATURES) {
            throw Checks.malformed(
                SIGNATURE + " holds more than " + MAX_SIGNATURES + " signatures");
          }
          int comma = line.indexOf(',', start);
          if (comma <= start || comma >= end) {
            malformed++;
          } else if (line.regionMatches(start, version, 0, version.length())
              && comma - start == version.length()) {
            byte[] signature = Encoding.unbase64(line.substring(comma + 1, end));
            if (signature == null || signature.length == 0) {
              malformed++;
            } else {
              candidates++;
              int key = match.match(idBytes, tsBytes, body, signature);
              if (key >= 0) {
                return new VerifiedWebhook(
                    scheme, Optional.of(id), Optional.of(Instant.ofEpochSecond(seconds)), key);
              }
            }
          } else {
            if (otherVersions == null) {
              otherVersions = new ArrayList<>(2);
            }
            if (otherVersions.size() < 4) {
              otherVersions.add(Checks.printable(line.substring(start, comma)));
            }
          }
        }
        start = end;
      }
    }
    if (candidates == 0) {
      if (otherVersions != null) {
        throw checks.noMatch(
            SIGNATURE,
            0,
            keyCount,
            ": it holds no "
                + version
                + " signature, only "
                + otherVersions
                + "; is the receiver configured for the scheme the sender uses?");
      }
      throw Checks.malformed(
          SIGNATURE
              + " holds no signature of the form \""
              + version
              + ",<base64>\""
              + (malformed > 0 ? " (" + malformed + " malformed entries)" : ""));
    }
    throw checks.noMatch(SIGNATURE, candidates, keyCount, "");
  }
}
