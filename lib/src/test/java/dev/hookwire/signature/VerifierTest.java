package dev.hookwire.signature;

import static dev.hookwire.signature.StandardWebhooksTest.BODY;
import static dev.hookwire.signature.StandardWebhooksTest.ID;
import static dev.hookwire.signature.StandardWebhooksTest.TS;
import static dev.hookwire.signature.StandardWebhooksTest.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import dev.hookwire.testing.LogCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Verifier#anyOf} and the builder's own checks. */
class VerifierTest {
  final Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
  final String secret = Secrets.newStandardSecret();
  final Verifier both =
      Verifier.anyOf(
          Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).clock(clockAt(TS)).build(),
          Verifier.builder(SignatureScheme.standardWebhooksEd25519()).key(pair.publicKey()).clock(clockAt(TS)).build());

  @Test
  void anyOf_acceptsEitherScheme() {
    Map<String, String> v1 = SignatureScheme.standardWebhooks().signer(secret).sign(ID, Instant.ofEpochSecond(TS), BODY);
    Map<String, String> v1a =
        SignatureScheme.standardWebhooksEd25519().signer(pair.secretKey()).sign(ID, Instant.ofEpochSecond(TS), BODY);

    assertThat(both.verify(v1, BODY).scheme()).isEqualTo(SignatureScheme.standardWebhooks());
    assertThat(both.verify(v1a, BODY).scheme()).isEqualTo(SignatureScheme.standardWebhooksEd25519());
  }

  @Test
  void anyOf_reportsTheFailureThatGotFurthest() {
    Verifier mixed =
        Verifier.anyOf(
            SignatureScheme.github().verifier("gh"),
            Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).clock(clockAt(TS)).build());
    Map<String, String> headers =
        new LinkedHashMap<>(
            SignatureScheme.standardWebhooks().signer(Secrets.newStandardSecret()).sign(ID, Instant.ofEpochSecond(TS), BODY));

    assertThatThrownBy(() -> mixed.verify(headers, BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE));
    assertThatThrownBy(() -> mixed.verify(Map.of(), BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER));
    assertThatThrownBy(Verifier::anyOf).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_rejectsBadLimits() {
    assertThatThrownBy(() -> Verifier.builder(SignatureScheme.standardWebhooks()).maxBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> Verifier.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void secrets_haveTheRequestedSize_andAreDistinct() {
    String a = Secrets.newStandardSecret(24);
    String b = Secrets.newStandardSecret(64);
    assertThat(java.util.Base64.getDecoder().decode(a.substring(6))).hasSize(24);
    assertThat(java.util.Base64.getDecoder().decode(b.substring(6))).hasSize(64);
    assertThat(Secrets.newStandardSecret()).isNotEqualTo(Secrets.newStandardSecret());
    assertThat(Secrets.newTextSecret()).hasSize(64).isNotEqualTo(Secrets.newTextSecret());
    assertThatThrownBy(() -> Secrets.newStandardSecret(23))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 to 64");
    assertThatThrownBy(() -> Secrets.newStandardSecret(65)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Runs {@code step}, adding the warnings it logged about short keys to {@code warnings}. */
  static <T> T logging(List<String> warnings, Supplier<T> step) {
    List<String> lines = new ArrayList<>();
    try {
      return LogCapture.logging(lines, step);
    } finally {
      lines.stream().filter(line -> line.contains("WARN dev.hookwire.signature.Verifier")).forEach(warnings::add);
    }
  }


  @Test
  void shortKey_verifies_andWarnsOncePerVerifier_notPerRequest() {
    // A one-character GitHub secret, as some senders have:
    // printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac 'x'
    Map<String, String> headers =
        Map.of(
            "X-Hub-Signature-256",
            "sha256=0bad826bb1cfe1c67f7287b8c0c266bae66352f5ea603f0dd7d3950569b4874f");
    List<String> warnings = new ArrayList<>();
    Verifier verifier = logging(warnings, () -> SignatureScheme.github().verifier("x"));

    List<String> later = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      assertThat(logging(later, () -> verifier.verify(headers, "Hello, World!")).keyIndex()).isZero();
    }

    assertThat(warnings).singleElement().asString()
        .contains("github verifier accepts key #0 (1 byte)", "16 bytes");
    assertThat(later).isEmpty();
  }

  @Test
  void shortKeys_oneWarningNamesEach_byIndexNotContent() {
    // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' \
    //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:00 -binary | base64
    Map<String, String> headers =
        Map.of(
            "webhook-id", ID,
            "webhook-timestamp", String.valueOf(TS),
            "webhook-signature", "v1,woH/1mJtZGSMCmpFTxRYbStS24eLLD/oXIYr4PYyZ7g=");
    List<String> warnings = new ArrayList<>();
    Verifier verifier =
        logging(
            warnings,
            () ->
                Verifier.builder(SignatureScheme.standardWebhooks())
                    .key(secret)
                    .key("whsec_AA==")
                    .key("whsec_c2hvcnQta2V5") // "short-key", 9 bytes
                    .clock(clockAt(TS))
                    .build());

    assertThat(verifier.verify(headers, BODY).keyIndex()).isEqualTo(1);
    assertThat(warnings).singleElement().asString()
        .contains("standard verifier accepts key #1 (1 byte), key #2 (9 bytes)")
        .doesNotContain("AA==", "c2hvcnQta2V5", "short-key", secret.substring(6));
  }

  @Test
  void longKeys_andEd25519Keys_logNothing() {
    List<String> warnings = new ArrayList<>();
    logging(warnings, () -> SignatureScheme.github().verifier("0123456789abcdef"));
    logging(warnings, () -> SignatureScheme.standardWebhooks().verifier(secret));
    logging(warnings, () -> SignatureScheme.standardWebhooksEd25519().verifier(pair.publicKey()));

    assertThat(warnings).isEmpty();
  }
}
