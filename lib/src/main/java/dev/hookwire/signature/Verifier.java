package dev.hookwire.signature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that a received request is an authentic, fresh webhook.
 *
 * <p>Give it the raw body bytes exactly as received: a body parsed and serialised again differs
 * in whitespace or field order, and its signature will not match.
 *
 * <pre>{@code
 * Verifier verifier = SignatureScheme.standardWebhooks().verifier("whsec_...");
 * try {
 *   VerifiedWebhook webhook = verifier.verify(WebhookHeaders.ofMulti(requestHeaders), rawBody);
 *   // handle it; webhook.webhookId() de-duplicates retries
 * } catch (SignatureVerificationException e) {
 *   // answer 401; e.reason() says which check failed
 * }
 * }</pre>
 *
 * <p>Checks, in order: the body is within the size limit; the headers are present and
 * well-formed; the signed timestamp, if the scheme has one, is within the tolerance on either
 * side of the clock; some signature matches some key, compared in constant time. Any other
 * failure of the input is reported as one of these; no other exception escapes for any input.
 *
 * <p>Verifiers made by Hookwire are immutable and thread-safe; their {@code toString()} never
 * shows a key.
 */
public interface Verifier {

  /** The default tolerance between the signed timestamp and the verifier's clock: 5 minutes. */
  Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** The default maximum body size: 5 MiB. */
  int DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

  /**
   * Starts a verifier for a scheme.
   *
   * @param scheme the signature scheme
   * @return a builder
   */
  static Builder builder(SignatureScheme scheme) {
    return new Builder(scheme);
  }

  /**
   * Returns a verifier that accepts a request if any of the given verifiers does, trying them in
   * order: for a receiver that accepts several schemes, say Standard Webhooks v1 and v1a. If all
   * reject it, the exception thrown is the one from the verifier that got furthest (a signature
   * mismatch rather than a missing header of another scheme).
   *
   * @param verifiers one or more verifiers
   * @return the combined verifier
   * @throws IllegalArgumentException if none is given
   */
  static Verifier anyOf(Verifier... verifiers) {
    return new AnyOfVerifier(List.of(verifiers));
  }

  /**
   * Verifies one request.
   *
   * @param headers the request headers
   * @param body the raw request body, byte for byte as received
   * @return what the signature established: scheme, id and timestamp where the scheme signs them
   * @throws SignatureVerificationException if any check fails; {@link
   *     SignatureVerificationException#reason()} says which
   */
  VerifiedWebhook verify(WebhookHeaders headers, byte[] body);

  /**
   * Verifies one request whose headers are in a single-valued map, matched without regard to
   * case.
   *
   * @param headers the request headers
   * @param body the raw request body, byte for byte as received
   * @return what the signature established
   * @throws SignatureVerificationException if any check fails
   */
  default VerifiedWebhook verify(Map<String, String> headers, byte[] body) {
    return verify(WebhookHeaders.of(headers), body);
  }

  /**
   * Verifies one request whose body a framework has already decoded to text; the text is
   * encoded back as UTF-8. Prefer the byte form: a framework that changed the text (a different
   * charset, a trimmed newline) makes authentic requests fail.
   *
   * @param headers the request headers
   * @param body the raw request body as text
   * @return what the signature established
   * @throws SignatureVerificationException if any check fails
   */
  default VerifiedWebhook verify(Map<String, String> headers, String body) {
    Objects.requireNonNull(body, "body == null");
    return verify(WebhookHeaders.of(headers), body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Builds a {@link Verifier}. Not thread-safe; the verifier it builds is.
   *
   * <p>Keys are checked as they are added, so a malformed key fails at the call that added it.
   * A request is accepted if any of its signatures matches any key: add the new key next to the
   * old one for the length of a rotation.
   *
   * <p>HMAC keys shorter than {@link Signer#MIN_HMAC_KEY_BYTES}, which a {@link Signer} refuses,
   * are accepted here, since some senders use them; {@link #build()} logs one warning (SLF4J,
   * logger {@code dev.hookwire.signature.Verifier}) naming the scheme and each such key's index.
   */
  final class Builder {
    private final SignatureScheme scheme;
    private final List<Object> keys = new ArrayList<>();
    private String url;
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    Builder(SignatureScheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme == null");
    }

    /**
     * Adds a key written as the scheme expects it (see {@link SignatureScheme}): for Standard
     * Webhooks v1a, the public key {@code whpk_...}.
     *
     * @param key the key text; the decoded key is copied, the string is not kept
     * @return this builder
     * @throws IllegalArgumentException if the key is empty or malformed for this scheme; the
     *     message never contains the key. An HMAC key shorter than {@link
     *     Signer#MIN_HMAC_KEY_BYTES} is accepted, with a warning when the verifier is built.
     */
    public Builder key(String key) {
      Objects.requireNonNull(key, "key == null");
      keys.add(scheme.verificationKey(key, keys.size()));
      return this;
    }

    /**
     * Adds a raw HMAC key, for HMAC-based schemes whose secret is not text.
     *
     * @param key the key bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is empty, or the scheme is not HMAC-based. A
     *     key shorter than {@link Signer#MIN_HMAC_KEY_BYTES} is accepted, with a warning when the
     *     verifier is built.
     */
    public Builder key(byte[] key) {
      Objects.requireNonNull(key, "key == null");
      keys.add(scheme.rawKey(key, keys.size()));
      return this;
    }

    /**
     * Adds several keys, in order, as {@link #key(String)} does.
     *
     * @param keys the keys
     * @return this builder
     * @throws IllegalArgumentException if any key is malformed
     */
    public Builder keys(Collection<String> keys) {
      Objects.requireNonNull(keys, "keys == null");
      for (String key : keys) {
        key(key);
      }
      return this;
    }

    /**
     * Sets this endpoint's URL exactly as it was registered with the sender, for schemes that
     * sign it ({@link SignatureScheme#insightarc()}); ignored by the others.
     *
     * @param url the URL, byte for byte as registered
     * @return this builder
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url == null");
      return this;
    }

    /**
     * Sets how far the signed timestamp may be from the clock, in either direction. Default 5
     * minutes. Timestamps have one-second precision: with a tolerance of 300 s a request signed
     * 300 s ago passes and one signed 301 s ago fails. Ignored by schemes that sign no
     * timestamp.
     *
     * @param tolerance the tolerance; zero accepts only the current second
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance == null");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance is negative: " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Sets the clock that timestamps are compared with. Default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Sets the largest body accepted, in bytes. Default 5 MiB. Larger bodies are rejected with
     * {@link SignatureVerificationException.Reason#BODY_TOO_LARGE} before any hashing.
     *
     * @param maxBodyBytes the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Builds the verifier. If an HMAC key is shorter than {@link Signer#MIN_HMAC_KEY_BYTES}, logs
     * one warning for this verifier, naming the scheme and the key's index, never the key; the
     * verifier accepts the key all the same.
     *
     * @return an immutable, thread-safe verifier
     * @throws IllegalStateException if no key was added, or the scheme needs a URL and none was
     *     set
     */
    public Verifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("no key: add at least one with key(...)");
      }
      if (scheme.needsUrl() && url == null) {
        throw new IllegalStateException(
            "scheme " + scheme.name() + " signs the endpoint URL: set url(...)");
      }
      Verifier verifier = scheme.newVerifier(this);
      ShortKeys.warnIfShort(scheme, keys);
      return verifier;
    }

    SignatureScheme scheme() {
      return scheme;
    }

    List<Object> keys() {
      return List.copyOf(keys);
    }

    String url() {
      return url;
    }

    Duration tolerance() {
      return tolerance;
    }

    Clock clock() {
      return clock;
    }

    int maxBodyBytes() {
      return maxBodyBytes;
    }
  }
}
