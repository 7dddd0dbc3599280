package dev.hookwire.signature;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes the signature headers of one outgoing webhook request.
 *
 * <p>The bytes signed are exactly the bytes given, so the body passed here must be the body
 * sent. The timestamp should be the moment of sending: a retry signs again, with a fresh
 * timestamp, so that it stays within the receiver's tolerance.
 *
 * <pre>{@code
 * Signer signer = SignatureScheme.standardWebhooks().signer(secret);
 * Map<String, String> headers = signer.sign(event.id(), Instant.now(), body);
 * }</pre>
 *
 * <p>Signers made by Hookwire are immutable and thread-safe; their {@code toString()} never
 * shows a key.
 */
public interface Signer {

  /**
   * The fewest bytes an HMAC key must have to sign: 16. {@link Builder#key(String)} refuses a
   * shorter key; verifiers accept one, since they must accept what senders use, and log a
   * warning. A {@code whsec_} secret counts its decoded bytes, a text secret its UTF-8 bytes.
   * Standard Webhooks asks for 24 to 64 bytes; {@link Secrets#newStandardSecret()} and {@link
   * Secrets#newTextSecret()} make 32. Ed25519 keys have a fixed length and are not concerned.
   */
  int MIN_HMAC_KEY_BYTES = 16;

  /**
   * Starts a signer for a scheme.
   *
   * @param scheme the signature scheme
   * @return a builder
   */
  static Builder builder(SignatureScheme scheme) {
    return new Builder(scheme);
  }

  /**
   * Returns the scheme whose headers this signer writes.
   *
   * @return the scheme
   */
  SignatureScheme scheme();

  /**
   * Signs one request.
   *
   * @param webhookId the message id; sent and signed by schemes that carry one (Standard
   *     Webhooks), ignored by the others. Visible ASCII, no spaces.
   * @param timestamp the send time; signed at one-second precision by schemes that carry one
   *     (Standard Webhooks, Stripe), ignored by the others
   * @param body the exact request body
   * @return header names to values, in a stable order; immutable
   * @throws IllegalArgumentException if {@code webhookId} is empty or has characters not allowed
   *     in a header, or {@code timestamp} is before 1970
   */
  Map<String, String> sign(String webhookId, Instant timestamp, byte[] body);

  /**
   * Builds a {@link Signer}. Not thread-safe; the signer it builds is.
   *
   * <p>Keys are checked as they are added, so a malformed key, or an HMAC key shorter than {@link
   * Signer#MIN_HMAC_KEY_BYTES}, fails at the call that added it. The first key added is the
   * primary one: schemes that carry several signatures (Standard Webhooks, Stripe) sign with every
   * key, so that receivers holding either the old or the new key accept the request during a
   * rotation; single-signature schemes sign with the primary key only.
   */
  final class Builder {
    private final SignatureScheme scheme;
    private final List<Object> keys = new ArrayList<>();
    private String url;

    Builder(SignatureScheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme == null");
    }

    /**
     * Adds a key written as the scheme expects it (see {@link SignatureScheme}).
     *
     * @param key the key text; the decoded key is copied, the string is not kept
     * @return this builder
     * @throws IllegalArgumentException if the key is empty or malformed for this scheme, or is an
     *     HMAC key shorter than {@link Signer#MIN_HMAC_KEY_BYTES}; the message names the key by its
     *     index and never contains it
     */
    public Builder key(String key) {
      Objects.requireNonNull(key, "key == null");
      int index = keys.size();
      keys.add(ShortKeys.requireSigningLength(scheme, scheme.signingKey(key, index), index));
      return this;
    }

    /**
     * Adds a key as {@link #key(String)} does, except that an HMAC key shorter than {@link
     * Signer#MIN_HMAC_KEY_BYTES} is accepted: for a key a receiver already holds and that cannot
     * change at once, such as one stored by an earlier version. Rotate to a longer key.
     *
     * @param key the key text; the decoded key is copied, the string is not kept
     * @return this builder
     * @throws IllegalArgumentException if the key is empty or malformed for this scheme
     */
    public Builder existingKey(String key) {
      Objects.requireNonNull(key, "key == null");
      keys.add(scheme.signingKey(key, keys.size()));
      return this;
    }

    /**
     * Adds a raw HMAC key, for HMAC-based schemes whose secret is not text.
     *
     * @param key the key bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is shorter than {@link
     *     Signer#MIN_HMAC_KEY_BYTES}, or the scheme is not HMAC-based; the message never contains
     *     the key
     */
    public Builder key(byte[] key) {
      Objects.requireNonNull(key, "key == null");
      int index = keys.size();
      keys.add(ShortKeys.requireSigningLength(scheme, scheme.rawKey(key, index), index));
      return this;
    }

    /**
     * Adds several keys, in order, as {@link #key(String)} does.
     *
     * @param keys the keys
     * @return this builder
     * @throws IllegalArgumentException if any key is malformed or too short, as {@link
     *     #key(String)} says
     */
    public Builder keys(Collection<String> keys) {
      Objects.requireNonNull(keys, "keys == null");
      for (String key : keys) {
        key(key);
      }
      return this;
    }

    /**
     * Sets the endpoint URL exactly as registered, for schemes that sign it ({@link
     * SignatureScheme#insightarc()}); ignored by the others.
     *
     * @param url the URL, byte for byte as the receiver registered it
     * @return this builder
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url == null");
      return this;
    }

    /**
     * Builds the signer.
     *
     * @return an immutable, thread-safe signer
     * @throws IllegalStateException if no key was added, or the scheme needs a URL and none was
     *     set
     */
    public Signer build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("no key: add at least one with key(...)");
      }
      if (scheme.needsUrl() && url == null) {
        throw new IllegalStateException(
            "scheme " + scheme.name() + " signs the endpoint URL: set url(...)");
      }
      return scheme.newSigner(this);
    }

    List<Object> keys() {
      return List.copyOf(keys);
    }

    String url() {
      return url;
    }
  }
}
