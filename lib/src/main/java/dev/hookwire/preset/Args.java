package dev.hookwire.preset;

import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Verifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Argument checks shared by the presets. Messages name the argument but never repeat its value:
 * a secret passed where a URL belongs must not end up in an exception message or a log.
 */
final class Args {
  private Args() {}

  /** Checks that {@code url} is an absolute http(s) URL with a host, and returns it unchanged. */
  static String url(String url, String name) {
    Objects.requireNonNull(url, name + " == null");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a valid URI: " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(name + " is not an absolute http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(name + " has no host");
    }
    return url;
  }

  /** Checks a secret or a setting: present and not blank. */
  static String notBlank(String value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
    return value;
  }

  /** Starts an endpoint that signs with {@code scheme} and {@code secret}. */
  static Endpoint.Builder signedEndpoint(
      String url, SignatureScheme scheme, String secret, String secretName) {
    Endpoint.Builder builder = Endpoint.builder(url(url, "url"));
    notBlank(secret, secretName);
    return naming(secretName, () -> builder.signing(scheme, secret));
  }

  /**
   * Builds a verifier for {@code scheme} accepting any of {@code secrets}, its URL set if the
   * scheme signs one ({@code url} may be null otherwise).
   */
  static Verifier verifier(SignatureScheme scheme, String url, String[] secrets, String name) {
    Objects.requireNonNull(secrets, name + " == null");
    if (secrets.length == 0) {
      throw new IllegalArgumentException(name + ": give at least one");
    }
    Verifier.Builder builder = Verifier.builder(scheme);
    if (url != null) {
      builder.url(url);
    }
    for (int i = 0; i < secrets.length; i++) {
      String secret = notBlank(secrets[i], name + "[" + i + "]");
      naming(name, () -> builder.key(secret));
    }
    return builder.build();
  }

  /**
   * Runs a step that checks an argument further down (a scheme decoding a key, a header value),
   * restating its failure in terms of the argument (the scheme speaks of "key #0"); the cause is
   * kept.
   */
  static <T> T naming(String name, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not usable: " + e.getMessage(), e);
    }
  }
}
