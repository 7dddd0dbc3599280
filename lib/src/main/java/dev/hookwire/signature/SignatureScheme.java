package dev.hookwire.signature;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A webhook signature format: which headers carry what, what is signed, and how keys are written.
 *
 * <p>Every scheme Hookwire speaks is one of these, obtained from a factory here; a scheme makes
 * {@link Signer}s and {@link Verifier}s:
 *
 * <pre>{@code
 * Signer signer = SignatureScheme.standardWebhooks().signer("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * Verifier verifier = SignatureScheme.standardWebhooks().verifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * }</pre>
 *
 * <table>
 *   <caption>Schemes and their keys</caption>
 *   <tr><th>factory</th><th>{@link #name()}</th><th>headers</th><th>keys</th></tr>
 *   <tr><td>{@link #standardWebhooks()}</td><td>standard</td>
 *       <td>{@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}</td>
 *       <td>{@code whsec_<base64>}, or the base64 alone</td></tr>
 *   <tr><td>{@link #standardWebhooksEd25519()}</td><td>standard-ed25519</td>
 *       <td>as above, {@code v1a,<base64>}</td>
 *       <td>{@code whsk_<base64>} to sign, {@code whpk_<base64>} to verify</td></tr>
 *   <tr><td>{@link #stripe()}</td><td>stripe</td>
 *       <td>{@code Stripe-Signature: t=<unix>,v1=<hex>}</td><td>the secret's text, as is</td></tr>
 *   <tr><td>{@link #intelligems()}</td><td>intelligems</td>
 *       <td>{@code X-Intelligems-Signature: <hex HMAC-SHA256 of the body>}</td>
 *       <td>the secret's text</td></tr>
 *   <tr><td>{@link #insightarc()}</td><td>insightarc</td>
 *       <td>{@code x-insightarc-signature: <base64 HMAC-SHA1 of body + URL>}</td>
 *       <td>the secret's text</td></tr>
 *   <tr><td>{@link #github()}</td><td>github</td>
 *       <td>{@code X-Hub-Signature-256: sha256=<hex>}</td><td>the secret's text</td></tr>
 *   <tr><td>{@link #shopify()}</td><td>shopify</td>
 *       <td>{@code X-Shopify-Hmac-Sha256: <base64>}</td><td>the secret's text</td></tr>
 * </table>
 *
 * <p>An HMAC key signs only if it has at least {@link Signer#MIN_HMAC_KEY_BYTES} (16) bytes:
 * the decoded bytes of a {@code whsec_} secret, the UTF-8 bytes of a secret's text. Standard
 * Webhooks asks for 24 to 64; {@link Secrets#newStandardSecret()} and {@link
 * Secrets#newTextSecret()} make proper ones. Verifiers accept shorter keys, as some senders use
 * them, and log one warning per verifier. Ed25519 keys have fixed lengths.
 *
 * <p>HMAC header schemes (the last four, and any built with {@link #hmac(String)}) sign neither a
 * timestamp nor an id, so they cannot resist replay on their own: prefer a Standard Webhooks
 * scheme where both sides are yours.
 *
 * <p>Schemes are immutable and thread-safe; two equal schemes make interchangeable signers and
 * verifiers.
 */
public abstract sealed class SignatureScheme
    permits StandardWebhooksScheme, Ed25519Scheme, StripeScheme, HmacHeaderScheme {

  private static final List<String> NAMES =
      List.of(
          "standard", "standard-ed25519", "stripe", "intelligems", "insightarc", "github", "shopify");

  private final String name;

  SignatureScheme(String name) {
    this.name = name;
  }

  /**
   * Standard Webhooks, symmetric (v1): HMAC-SHA256 over {@code id.timestamp.body}. The default.
   *
   * @return the scheme
   */
  public static SignatureScheme standardWebhooks() {
    return StandardWebhooksScheme.INSTANCE;
  }

  /**
   * Standard Webhooks, asymmetric (v1a): Ed25519 over {@code id.timestamp.body}, using the JDK's
   * own Ed25519. Receivers hold only the public key, so they cannot forge requests.
   *
   * @return the scheme
   */
  public static SignatureScheme standardWebhooksEd25519() {
    return Ed25519Scheme.INSTANCE;
  }

  /**
   * Stripe's format: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
   * "t.body">}, several {@code v1} entries during a rotation.
   *
   * @return the scheme
   */
  public static SignatureScheme stripe() {
    return StripeScheme.INSTANCE;
  }

  /**
   * Intelligems: {@code X-Intelligems-Signature}, hex HMAC-SHA256 of the body.
   *
   * @return the scheme
   */
  public static SignatureScheme intelligems() {
    return HmacHeaderScheme.INTELLIGEMS;
  }

  /**
   * Insightarc: {@code x-insightarc-signature}, base64 HMAC-SHA1 of the body followed by the
   * endpoint URL exactly as registered; signers and verifiers need that URL.
   *
   * @return the scheme
   */
  public static SignatureScheme insightarc() {
    return HmacHeaderScheme.INSIGHTARC;
  }

  /**
   * GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}.
   *
   * @return the scheme
   */
  public static SignatureScheme github() {
    return HmacHeaderScheme.GITHUB;
  }

  /**
   * Shopify: {@code X-Shopify-Hmac-Sha256}, base64 HMAC-SHA256 of the body.
   *
   * @return the scheme
   */
  public static SignatureScheme shopify() {
    return HmacHeaderScheme.SHOPIFY;
  }

  /**
   * Starts a custom HMAC header scheme: one header holding an HMAC of the body (or of body and
   * URL). Defaults: SHA-256, hex, no prefix, body only.
   *
   * <pre>{@code
   * SignatureScheme acme = SignatureScheme.hmac("X-Acme-Signature")
   *     .algorithm(HmacAlgorithm.SHA256)
   *     .encoding(SignatureEncoding.BASE64)
   *     .build();
   * }</pre>
   *
   * @param headerName the header that carries the signature
   * @return a builder
   * @throws IllegalArgumentException if {@code headerName} is not a valid HTTP header name
   */
  public static HmacSchemeBuilder hmac(String headerName) {
    return new HmacSchemeBuilder(headerName);
  }

  /**
   * Looks a built-in scheme up by its {@link #name()}, ignoring case: {@code standard}, {@code
   * standard-ed25519}, {@code stripe}, {@code intelligems}, {@code insightarc}, {@code github},
   * {@code shopify}.
   *
   * @param name the scheme's name
   * @return the scheme
   * @throws IllegalArgumentException if no built-in scheme has that name; the message lists them
   */
  public static SignatureScheme forName(String name) {
    Objects.requireNonNull(name, "name == null");
    switch (name.toLowerCase(Locale.ROOT)) {
      case "standard":
        return standardWebhooks();
      case "standard-ed25519":
        return standardWebhooksEd25519();
      case "stripe":
        return stripe();
      case "intelligems":
        return intelligems();
      case "insightarc":
        return insightarc();
      case "github":
        return github();
      case "shopify":
        return shopify();
      default:
        throw new IllegalArgumentException(
            "unknown signature scheme \"" + name + "\"; known schemes: " + String.join(", ", NAMES));
    }
  }

  /**
   * Returns the scheme's short name, as {@link #forName(String)} accepts it.
   *
   * @return the name
   */
  public final String name() {
    return name;
  }

  /**
   * Returns a signer with default settings for the given keys; the first key is the primary one.
   * Shorthand for {@code Signer.builder(this).keys(keys).build()}.
   *
   * @param keys one or more secrets, written as this scheme expects them
   * @return the signer
   * @throws IllegalArgumentException if a key is malformed or, for HMAC, shorter than {@link
   *     Signer#MIN_HMAC_KEY_BYTES}, or none is given
   * @throws IllegalStateException if this scheme needs a URL (use the builder)
   */
  public final Signer signer(String... keys) {
    return Signer.builder(this).keys(List.of(keys)).build();
  }

  /**
   * Returns a verifier with default settings (5 minutes' tolerance, system clock) accepting any
   * of the given keys. Shorthand for {@code Verifier.builder(this).keys(keys).build()}.
   *
   * @param keys one or more keys, written as this scheme expects them; short HMAC keys are
   *     accepted with a warning, as {@link Verifier.Builder#build()} says
   * @return the verifier
   * @throws IllegalArgumentException if a key is malformed, or none is given
   * @throws IllegalStateException if this scheme needs a URL (use the builder)
   */
  public final Verifier verifier(String... keys) {
    return Verifier.builder(this).keys(List.of(keys)).build();
  }

  /**
   * Returns whether this scheme signs the endpoint URL along with the body ({@link #insightarc()},
   * and HMAC schemes built with {@link SignedContent#BODY_THEN_URL}): its signers and verifiers
   * need that URL.
   *
   * @return true if the URL is signed
   */
  public final boolean signsUrl() {
    return needsUrl();
  }

  /** Whether signers and verifiers of this scheme need the endpoint URL. */
  boolean needsUrl() {
    return false;
  }

  /** Whether this scheme signs a timestamp, so that a verifier's tolerance applies. */
  abstract boolean signsTimestamp();

  /**
   * Decodes a key for signing. {@code index} is the key's position, named in messages instead of
   * the key itself.
   */
  abstract Object signingKey(String key, int index);

  /** Decodes a key for verifying; for symmetric schemes the same as {@link #signingKey}. */
  Object verificationKey(String key, int index) {
    return signingKey(key, index);
  }

  /** Takes raw key bytes, for HMAC-based schemes. */
  Object rawKey(byte[] key, int index) {
    throw new IllegalArgumentException(
        "scheme " + name + " does not take raw key bytes; pass its keys as text");
  }

  /** Makes an HMAC key from decoded bytes, refusing an empty one. */
  static dev.hookwire.internal.HmacKey hmacKey(String jcaAlgorithm, byte[] key, int index) {
    if (key.length == 0) {
      throw new IllegalArgumentException("key #" + index + " is empty");
    }
    return dev.hookwire.internal.HmacKey.of(jcaAlgorithm, key);
  }

  abstract Signer newSigner(Signer.Builder builder);

  abstract Verifier newVerifier(Verifier.Builder builder);

  @Override
  public String toString() {
    return "SignatureScheme[" + name + "]";
  }

  /**
   * Builds a custom HMAC header scheme. Not thread-safe; the scheme it builds is.
   */
  public static final class HmacSchemeBuilder {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final String headerName;
    private HmacAlgorithm algorithm = HmacAlgorithm.SHA256;
    private SignatureEncoding encoding = SignatureEncoding.HEX;
    private String prefix = "";
    private SignedContent content = SignedContent.BODY;
    private String name;

    HmacSchemeBuilder(String headerName) {
      Objects.requireNonNull(headerName, "headerName == null");
      if (!TOKEN.matcher(headerName).matches()) {
        throw new IllegalArgumentException(
            "headerName \"" + headerName + "\" is not a valid HTTP header name");
      }
      this.headerName = headerName;
    }

    /**
     * Sets the hash function. Default SHA-256.
     *
     * @param algorithm the algorithm
     * @return this builder
     */
    public HmacSchemeBuilder algorithm(HmacAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm == null");
      return this;
    }

    /**
     * Sets how signature bytes are written. Default hex.
     *
     * @param encoding the encoding
     * @return this builder
     */
    public HmacSchemeBuilder encoding(SignatureEncoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding == null");
      return this;
    }

    /**
     * Sets text written before the encoded signature, such as GitHub's {@code sha256=}. Default
     * none. Verifiers require it, compared exactly.
     *
     * @param prefix the prefix; may be empty
     * @return this builder
     * @throws IllegalArgumentException if the prefix holds characters not allowed in a header
     */
    public HmacSchemeBuilder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix == null");
      for (int i = 0; i < prefix.length(); i++) {
        char c = prefix.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          throw new IllegalArgumentException(
              "prefix may hold only visible ASCII characters, but has U+"
                  + String.format("%04X", (int) c) + " at index " + i);
        }
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Sets what is signed. Default {@link SignedContent#BODY}.
     *
     * @param content the signed content
     * @return this builder
     */
    public HmacSchemeBuilder signedContent(SignedContent content) {
      this.content = Objects.requireNonNull(content, "content == null");
      return this;
    }

    /**
     * Sets the scheme's name, shown in messages and {@code toString()}. Default {@code
     * hmac:<header name>}.
     *
     * @param name the name
     * @return this builder
     * @throws IllegalArgumentException if the name is blank
     */
    public HmacSchemeBuilder name(String name) {
      Objects.requireNonNull(name, "name == null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name is blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Builds the scheme.
     *
     * @return an immutable scheme
     */
    public SignatureScheme build() {
      String n = name != null ? name : "hmac:" + headerName.toLowerCase(Locale.ROOT);
      return new HmacHeaderScheme(n, headerName, algorithm, encoding, prefix, content);
    }
  }
}
