package dev.hookwire.cli;

import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fresh keys for a scheme, and the options that go with them on a command line.
 *
 * @param scheme the scheme's name
 * @param signing the key that signs
 * @param verifying the key that verifies: the same, but for standard-ed25519's public key
 */
record TestKeys(String scheme, String signing, String verifying) {
  static final String URL = "https://hooks.example.com/insightarc?tenant=7";

  static TestKeys forScheme(String scheme) {
    switch (scheme) {
      case "standard":
        String secret = Secrets.newStandardSecret();
        return new TestKeys(scheme, secret, secret);
      case "standard-ed25519":
        Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
        return new TestKeys(scheme, pair.secretKey(), pair.publicKey());
      default:
        String text = Secrets.newTextSecret();
        return new TestKeys(scheme, text, text);
    }
  }

  /** {@code --scheme S --secret K}, and {@code --url} where the scheme signs it. */
  List<String> signOptions() {
    return options(signing);
  }

  /** The same with the verifying key. */
  List<String> verifyOptions() {
    return options(verifying);
  }

  private List<String> options(String key) {
    List<String> options = new ArrayList<>(List.of("--scheme", scheme, "--secret", key));
    if (scheme.equals("insightarc")) {
      options.addAll(List.of("--url", URL));
    }
    return options;
  }
}
