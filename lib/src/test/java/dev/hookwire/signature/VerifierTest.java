package dev.hookwire.signature;

import static dev.hookwire.signature.StandardWebhooksTest.BODY;
import static dev.hookwire.signature.StandardWebhooksTest.ID;
import static dev.hookwire.signature.StandardWebhooksTest.TS;
import static dev.hookwire.signature.StandardWebhooksTest.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
}
