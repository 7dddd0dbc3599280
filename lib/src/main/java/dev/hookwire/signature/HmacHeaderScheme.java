package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import dev.hookwire.internal.HmacKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;

/** One header holding an HMAC of the body, or of the body followed by the registered URL. */
final class HmacHeaderScheme extends SignatureScheme {
  static final HmacHeaderScheme INTELLIGEMS =
      new HmacHeaderScheme(
          "intelligems",
          "X-Intelligems-Signature",
          HmacAlgorithm.SHA256,
          SignatureEncoding.HEX,
          "",
          SignedContent.BODY);
  static final HmacHeaderScheme INSIGHTARC =
      new HmacHeaderScheme(
          "insightarc",
          "x-insightarc-signature",
          HmacAlgorithm.SHA1,
          SignatureEncoding.BASE64,
          "",
          SignedContent.BODY_THEN_URL);
  static final HmacHeaderScheme GITHUB =
      new HmacHeaderScheme(
          "github",
          "X-Hub-Signature-256",
          HmacAlgorithm.SHA256,
          SignatureEncoding.HEX,
          "sha256=",
          SignedContent.BODY);
  static final HmacHeaderScheme SHOPIFY =
      new HmacHeaderScheme(
          "shopify",
          "X-Shopify-Hmac-Sha256",
          HmacAlgorithm.SHA256,
          SignatureEncoding.BASE64,
          "",
          SignedContent.BODY);

  private final String header;
  private final HmacAlgorithm algorithm;
  private final SignatureEncoding encoding;
  private final String prefix;
  private final SignedContent content;

  HmacHeaderScheme(
      String name,
      String header,
      HmacAlgorithm algorithm,
      SignatureEncoding encoding,
      String prefix,
      SignedContent content) {
    super(name);
    this.header = header;
    this.algorithm = algorithm;
    this.encoding = encoding;
    this.prefix = prefix;
    this.content = content;
  }

  @Override
  boolean needsUrl() {
    return content == SignedContent.BODY_THEN_URL;
  }

  @Override
  boolean signsTimestamp() {
    return false;
  }

  @Override
  Object signingKey(String key, int index) {
    return hmacKey(algorithm.jcaName(), key.getBytes(StandardCharsets.UTF_8), index);
  }

  @Override
  Object rawKey(byte[] key, int index) {
    return hmacKey(algorithm.jcaName(), key, index);
  }

  @Override
  Signer newSigner(Signer.Builder builder) {
    List<Object> keys = builder.keys();
    return new HeaderSigner((HmacKey) keys.get(0), urlBytes(builder.url()));
  }

  @Override
  Verifier newVerifier(Verifier.Builder builder) {
    return new HeaderVerifier(
        new Checks(builder), builder.keys().toArray(new HmacKey[0]), urlBytes(builder.url()));
  }

  private byte[] urlBytes(String url) {
    return needsUrl() ? url.getBytes(StandardCharsets.UTF_8) : new byte[0];
  }

  private byte[] mac(HmacKey key, byte[] body, byte[] url) {
    Mac mac = key.mac();
    mac.update(body);
    mac.update(url);
    return mac.doFinal();
  }

  private String encode(byte[] signature) {
    return prefix
        + (encoding == SignatureEncoding.HEX ? Encoding.hex(signature) : Encoding.base64(signature));
  }

  /** Decodes one header value, or answers null if it is not of this scheme's form. */
  private byte[] decode(String value) {
    String v = value.trim();
    if (!v.startsWith(prefix)) {
      return null;
    }
    String encoded = v.substring(prefix.length());
    return encoding == SignatureEncoding.HEX ? Encoding.unhex(encoded) : Encoding.unbase64(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HmacHeaderScheme other
        && name().equals(other.name())
        && header.equalsIgnoreCase(other.header)
        && algorithm == other.algorithm
        && encoding == other.encoding
        && prefix.equals(other.prefix)
        && content == other.content;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name(), header.toLowerCase(java.util.Locale.ROOT), algorithm, encoding);
  }

  private final class HeaderSigner implements Signer {
    private final HmacKey key;
    private final byte[] url;

    HeaderSigner(HmacKey key, byte[] url) {
      this.key = key;
      this.url = url;
    }

    @Override
    public SignatureScheme scheme() {
      return HmacHeaderScheme.this;
    }

    @Override
    public Map<String, String> sign(String webhookId, Instant timestamp, byte[] body) {
      Objects.requireNonNull(body, "body == null");
      return Map.of(header, encode(mac(key, body, url)));
    }

    @Override
    public String toString() {
      return "Signer[" + name() + "]";
    }
  }

  private final class HeaderVerifier implements Verifier {
    private final Checks checks;
    private final HmacKey[] keys;
    private final byte[] url;

    HeaderVerifier(Checks checks, HmacKey[] keys, byte[] url) {
      this.checks = checks;
      this.keys = keys;
      this.url = url;
    }

    @Override
    public VerifiedWebhook verify(WebhookHeaders headers, byte[] body) {
      checks.body(body);
      checks.header(headers, header);
      byte[][] expected = new byte[keys.length][];
      int candidates = 0;
      for (String value : headers.all(header)) {
        byte[] signature = decode(value);
        if (signature == null || signature.length == 0) {
          continue;
        }
        candidates++;
        int match = Checks.matchingKey(expected, i -> mac(keys[i], body, url), signature);
        if (match >= 0) {
          return new VerifiedWebhook(HmacHeaderScheme.this, Optional.empty(), Optional.empty(), match);
        }
      }
      if (candidates == 0) {
        throw Checks.malformed(
            header
                + " is not "
                + (prefix.isEmpty() ? "" : "\"" + prefix + "\" followed by ")
                + (encoding == SignatureEncoding.HEX ? "hexadecimal" : "base64")
                + ": \""
                + Checks.printable(headers.firstOrNull(header))
                + "\"");
      }
      String hint =
          needsUrl()
              ? "; this scheme also signs the endpoint URL, which must be byte for byte the URL"
                  + " the sender registered (scheme, host, path, query, trailing slash)"
              : "";
      throw checks.noMatch(header, candidates, keys.length, hint);
    }

    @Override
    public String toString() {
      return "Verifier[" + name() + ", " + keys.length + " key(s)]";
    }
  }
}
