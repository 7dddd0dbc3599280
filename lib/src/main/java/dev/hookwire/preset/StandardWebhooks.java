package dev.hookwire.preset;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Verifier;

/**
 * Standard Webhooks, Hookwire's default format: the event envelope as JSON, with {@code
 * webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} headers, signed either
 * with a shared secret (v1, HMAC-SHA256) or with an Ed25519 key pair (v1a, where the receiver
 * holds only the public key and so cannot forge requests).
 *
 * <pre>{@code
 * String secret = Secrets.newStandardSecret();                        // whsec_...
 * dispatcher.register(StandardWebhooks.endpoint("https://hooks.example.com/events", secret).build());
 * // the receiver:
 * Verifier verifier = StandardWebhooks.verifier(secret);
 *
 * Ed25519KeyPair pair = Secrets.newEd25519KeyPair();                 // whsk_... and whpk_...
 * dispatcher.register(
 *     StandardWebhooks.ed25519Endpoint("https://hooks.example.com/events", pair.secretKey()).build());
 * // the receiver:
 * Verifier verifier = StandardWebhooks.ed25519Verifier(pair.publicKey());
 * }</pre>
 *
 * <p>The id is the event's, the same on every retry, so receivers de-duplicate by it; the
 * timestamp is the moment of each attempt. Endpoints take the dispatcher's retry schedule and
 * timeout, which by default are the Standard Webhooks ones (10 attempts over about 3 days, 10 s
 * per request), and, for {@code https}, the dispatcher's {@code HEAD} check at registration.
 * Verifiers accept a timestamp within 5 minutes of the system clock, either side; for another
 * tolerance or clock use {@code Verifier.builder(SignatureScheme.standardWebhooks())}.
 *
 * <p>Thread-safe: the factories keep no state, and what they return is documented on its type.
 */
public final class StandardWebhooks {
  private StandardWebhooks() {}

  /**
   * Starts an endpoint signed with Standard Webhooks v1 (HMAC-SHA256 over {@code
   * id.timestamp.body}). The builder can change any setting before {@code build()}.
   *
   * @param url the receiver's URL, an absolute http or https URL
   * @param secret the shared secret, {@code whsec_} followed by base64 (or the base64 alone), as
   *     {@code Secrets.newStandardSecret()} makes it
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL, or {@code
   *     secret} is not a Standard Webhooks secret; the message names the argument, never its value
   */
  public static Endpoint.Builder endpoint(String url, String secret) {
    return Args.signedEndpoint(url, SignatureScheme.standardWebhooks(), secret, "secret");
  }

  /**
   * Starts an endpoint signed with Standard Webhooks v1a (Ed25519 over {@code id.timestamp.body}).
   * The builder can change any setting before {@code build()}.
   *
   * @param url the receiver's URL, an absolute http or https URL
   * @param secretKey the signing key, {@code whsk_...}, as {@code Secrets.newEd25519KeyPair()}
   *     makes it; give receivers its public key
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL, or {@code
   *     secretKey} is not an Ed25519 secret key (a {@code whpk_} public key is refused); the
   *     message names the argument, never its value
   */
  public static Endpoint.Builder ed25519Endpoint(String url, String secretKey) {
    return Args.signedEndpoint(url, SignatureScheme.standardWebhooksEd25519(), secretKey, "secretKey");
  }

  /**
   * Returns a verifier of Standard Webhooks v1 that accepts a request signed with any of the
   * given secrets (several while a secret is being replaced).
   *
   * @param secrets one or more {@code whsec_} secrets
   * @return an immutable, thread-safe verifier
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if no secret is given or one is malformed
   */
  public static Verifier verifier(String... secrets) {
    return Args.verifier(SignatureScheme.standardWebhooks(), null, secrets, "secrets");
  }

  /**
   * Returns a verifier of Standard Webhooks v1a that accepts a request signed by any of the
   * given keys' private halves.
   *
   * @param publicKeys one or more {@code whpk_} public keys
   * @return an immutable, thread-safe verifier
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if no key is given or one is not an Ed25519 public key
   */
  public static Verifier ed25519Verifier(String... publicKeys) {
    return Args.verifier(SignatureScheme.standardWebhooksEd25519(), null, publicKeys, "publicKeys");
  }
}
