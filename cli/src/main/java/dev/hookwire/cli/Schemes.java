package dev.hookwire.cli;

import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signature schemes by name, what each carries, and the options that choose a scheme and its
 * keys, shared by every command that signs or verifies.
 */
final class Schemes {

  /**
   * What the command line needs to know about a scheme.
   *
   * @param name the name {@link SignatureScheme#forName} takes
   * @param carriesId whether it sends and signs a webhook id
   * @param carriesTimestamp whether it sends and signs a timestamp
   * @param signsUrl whether it signs the endpoint URL, which must then be given
   * @param headers the headers it writes
   * @param keys how its keys are written
   * @param keyKind how a new key for it is made
   */
  record Info(
      String name,
      boolean carriesId,
      boolean carriesTimestamp,
      boolean signsUrl,
      String headers,
      String keys,
      KeyKind keyKind) {

    SignatureScheme scheme() {
      return SignatureScheme.forName(name);
    }
  }

  static final List<Info> ALL =
      List.of(
          new Info("standard", true, true, false,
              "webhook-id, webhook-timestamp, webhook-signature: v1,<base64>",
              "whsec_<base64>", KeyKind.STANDARD_SECRET),
          new Info("standard-ed25519", true, true, false,
              "webhook-id, webhook-timestamp, webhook-signature: v1a,<base64>",
              "whsk_<base64> signs, whpk_<base64> verifies", KeyKind.ED25519_PAIR),
          new Info("intelligems", false, false, false,
              "X-Intelligems-Signature: <hex HMAC-SHA256 of the body>", "the secret's text",
              KeyKind.TEXT_SECRET),
          new Info("insightarc", false, false, true,
              "x-insightarc-signature: <base64 HMAC-SHA1 of body + URL>",
              "the secret's text; needs --url", KeyKind.TEXT_SECRET),
          new Info("github", false, false, false,
              "X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>", "the secret's text",
              KeyKind.TEXT_SECRET),
          new Info("shopify", false, false, false,
              "X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>", "the secret's text",
              KeyKind.TEXT_SECRET),
          new Info("stripe", false, true, false,
              "Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of t.body>",
              "the secret's text", KeyKind.TEXT_SECRET));

  /** How a new key is made, and what it is made of. */
  enum KeyKind {
    /** One {@code whsec_} secret, for signing and verifying. */
    STANDARD_SECRET,
    /** A {@code whsk_} key that signs and the {@code whpk_} key that verifies, in that order. */
    ED25519_PAIR,
    /** One secret's text, 64 hex digits, for signing and verifying. */
    TEXT_SECRET;

    /** A new key: one string, or for a pair the signing key then the verifying key. */
    List<String> generate() {
      switch (this) {
        case STANDARD_SECRET:
          return List.of(Secrets.newStandardSecret());
        case ED25519_PAIR:
          Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
          return List.of(pair.secretKey(), pair.publicKey());
        default:
          return List.of(Secrets.newTextSecret());
      }
    }
  }

  static final Option SCHEME =
      Option.value("--scheme", "S", "signature scheme: " + names() + " (see hookwire schemes)");
  static final Option SECRET =
      Option.value(
              "--secret",
              "K",
              "a key, written as the scheme expects it; repeat for several (rotation)")
          .repeated();
  static final Option SECRET_ENV =
      Option.value(
              "--secret-env",
              "NAME",
              "read a key from environment variable NAME, out of shell history; repeatable")
          .repeated();
  static final Option URL =
      Option.value("--url", "U", "the endpoint URL exactly as registered (insightarc signs it)");
  static final Option TOLERANCE =
      Option.value(
          "--tolerance",
          "D",
          "how far the signed timestamp may be from now, either way (default 5m; 300s, PT5M)");

  private Schemes() {}

  /** The options that choose the scheme and its keys, followed by a command's own. */
  static List<Option> withKeys(Option... more) {
    List<Option> options = new ArrayList<>(List.of(SCHEME, SECRET, SECRET_ENV));
    options.addAll(List.of(more));
    return List.copyOf(options);
  }

  static String names() {
    List<String> names = new ArrayList<>();
    ALL.forEach(i -> names.add(i.name()));
    return String.join(", ", names);
  }

  /** The scheme named by {@code --scheme}. */
  static Info scheme(Args args) throws UsageException {
    String name = args.required(SCHEME.name());
    for (Info info : ALL) {
      if (info.name().equalsIgnoreCase(name.trim())) {
        return info;
      }
    }
    throw new UsageException(
        "unknown scheme \"" + name + "\"; known schemes: " + names());
  }

  /**
   * The keys given by {@code --secret} and {@code --secret-env}, in command-line order; at least
   * one.
   */
  static List<String> keys(Args args, Terminal terminal) throws UsageException {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, String> e : args.values(Set.of(SECRET.name(), SECRET_ENV.name()))) {
      if (e.getKey().equals(SECRET.name())) {
        keys.add(e.getValue());
        continue;
      }
      String value = terminal.env(e.getValue());
      if (value == null || value.isEmpty()) {
        throw new UsageException(
            "--secret-env: environment variable " + e.getValue() + " is not set or empty");
      }
      keys.add(value);
    }
    if (keys.isEmpty()) {
      throw new UsageException("missing key: give --secret K or --secret-env NAME");
    }
    return keys;
  }

  /** The URL for a scheme that signs it; required there, ignored (with a note) elsewhere. */
  static String url(Info info, Args args) throws UsageException {
    String url = args.value(URL.name()).orElse(null);
    if (info.signsUrl() && url == null) {
      throw new UsageException(
          "scheme " + info.name() + " signs the endpoint URL: give it with --url");
    }
    return url;
  }

  /** Reports a key the scheme refuses, without the key. */
  static UsageException badKey(Info info, IllegalArgumentException e) {
    return new UsageException(
        "bad secret for scheme "
            + info.name()
            + " ("
            + info.keys()
            + "; keys count from #0 in the order given): "
            + e.getMessage(),
        e);
  }

  /** Prints a note on error output when an option is given that the scheme does not use. */
  static void noteIgnored(Terminal terminal, Info info, Args args, String option, boolean used) {
    if (!used && args.has(option)) {
      terminal.err.println(
          "note: scheme " + info.name() + " does not use " + option + "; it is ignored");
    }
  }

  /**
   * Builds a verifier from {@code --scheme}, the keys, {@code --url} and {@code --tolerance}.
   */
  static Verifier verifier(Info info, Args args, Terminal terminal, Clock clock)
      throws UsageException {
    List<String> keys = keys(args, terminal);
    String url = url(info, args);
    noteIgnored(terminal, info, args, URL.name(), info.signsUrl());
    noteIgnored(terminal, info, args, TOLERANCE.name(), info.carriesTimestamp());
    Verifier.Builder builder = Verifier.builder(info.scheme()).clock(clock);
    try {
      builder.keys(keys);
    } catch (IllegalArgumentException e) {
      throw badKey(info, e);
    }
    if (url != null) {
      builder.url(url);
    }
    if (args.has(TOLERANCE.name())) {
      Duration tolerance = Values.duration(TOLERANCE.name(), args.required(TOLERANCE.name()));
      builder.tolerance(tolerance);
    }
    return builder.build();
  }
}
