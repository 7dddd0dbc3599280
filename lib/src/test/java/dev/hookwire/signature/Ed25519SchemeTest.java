package dev.hookwire.signature;

import static dev.hookwire.signature.StandardWebhooksTest.BODY;
import static dev.hookwire.signature.StandardWebhooksTest.ID;
import static dev.hookwire.signature.StandardWebhooksTest.TS;
import static dev.hookwire.signature.StandardWebhooksTest.assertReason;
import static dev.hookwire.signature.StandardWebhooksTest.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standard Webhooks v1a (Ed25519). */
class Ed25519SchemeTest {
  static final SignatureScheme SCHEME = SignatureScheme.standardWebhooksEd25519();

  // RFC 8032, section 7.1, test 1: the seed and its public key.
  static final String SEED = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
  static final String SEED_AND_PUBLIC =
      "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2DXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGg==";
  static final String PUBLIC = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
  // Computed independently with OpenSSL: openssl pkeyutl -sign -rawin over "id.ts.body".
  static final String SIGNATURE =
      "v1a,fldxM4gAKugP6nnt1hdz3sgGfZ6d99nzrMFnZOELIxbzEHoVmAb2ADpkJK7zgPePmPsle0zV9jSeGlHFG2NVAw==";

  static Verifier verifierAt(long second, String... keys) {
    return Verifier.builder(SCHEME).keys(java.util.List.of(keys)).clock(clockAt(second)).build();
  }

  @Test
  void signsLikeOpenSsl_fromEitherSecretKeyForm() {
    for (String key : new String[] {SEED, SEED_AND_PUBLIC}) {
      Map<String, String> headers = SCHEME.signer(key).sign(ID, Instant.ofEpochSecond(TS), BODY);
      assertThat(headers)
          .containsEntry("webhook-id", ID)
          .containsEntry("webhook-timestamp", Long.toString(TS))
          .containsEntry("webhook-signature", SIGNATURE);
    }
  }

  @Test
  void verifiesWithThePublicKey() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", ID);
    headers.put("webhook-timestamp", Long.toString(TS));
    headers.put("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= " + SIGNATURE);

    VerifiedWebhook verified = verifierAt(TS, PUBLIC).verify(headers, BODY);
    assertThat(verified.scheme()).isEqualTo(SCHEME);
    assertThat(verified.webhookId()).contains(ID);
  }

  @Test
  void generatedPair_roundTrips_andRotationAcrossTwoPairs() {
    Ed25519KeyPair oldPair = Secrets.newEd25519KeyPair();
    Ed25519KeyPair newPair = Secrets.newEd25519KeyPair();
    assertThat(oldPair.secretKey()).startsWith("whsk_");
    assertThat(oldPair.publicKey()).startsWith("whpk_");
    assertThat(oldPair.toString()).contains(oldPair.publicKey()).doesNotContain(oldPair.secretKey());

    Map<String, String> headers =
        Signer.builder(SCHEME)
            .key(newPair.secretKey())
            .key(oldPair.secretKey())
            .build()
            .sign("msg_2", Instant.ofEpochSecond(TS), BODY);
    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);

    assertThat(verifierAt(TS, oldPair.publicKey()).verify(headers, BODY).keyIndex()).isZero();
    assertThat(
            verifierAt(TS, Secrets.newEd25519KeyPair().publicKey(), newPair.publicKey())
                .verify(headers, BODY)
                .keyIndex())
        .isEqualTo(1);
    assertReason(
        () -> verifierAt(TS, Secrets.newEd25519KeyPair().publicKey()).verify(headers, BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void tamperedBody_orGarbageSignature_isNoMatch() {
    Map<String, String> headers = SCHEME.signer(SEED).sign(ID, Instant.ofEpochSecond(TS), BODY);
    assertReason(
        () -> verifierAt(TS, PUBLIC).verify(headers, "{}".getBytes()), Reason.NO_MATCHING_SIGNATURE);

    Map<String, String> garbage = new LinkedHashMap<>(headers);
    garbage.put("webhook-signature", "v1a," + Base64.getEncoder().encodeToString(new byte[64]));
    assertReason(() -> verifierAt(TS, PUBLIC).verify(garbage, BODY), Reason.NO_MATCHING_SIGNATURE);
    garbage.put("webhook-signature", "v1a,AAAA");
    assertReason(() -> verifierAt(TS, PUBLIC).verify(garbage, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void toleranceAppliesAsForV1() {
    Map<String, String> headers = SCHEME.signer(SEED).sign(ID, Instant.ofEpochSecond(TS), BODY);

    assertThat(verifierAt(TS + 300, PUBLIC).verify(headers, BODY)).isNotNull();
    assertReason(() -> verifierAt(TS + 301, PUBLIC).verify(headers, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertReason(() -> verifierAt(TS - 301, PUBLIC).verify(headers, BODY), Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void keysOfTheWrongKindOrShape_failWhenAdded() {
    assertThatThrownBy(() -> Verifier.builder(SCHEME).key(SEED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whpk_");
    assertThatThrownBy(() -> Signer.builder(SCHEME).key(PUBLIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsk_");
    assertThatThrownBy(() -> Signer.builder(SCHEME).key("whsk_AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> Verifier.builder(SCHEME).key("whpk_%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> Verifier.builder(SCHEME).key(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raw key bytes");
    String mismatched =
        "whsk_"
            + Base64.getEncoder()
                .encodeToString(
                    concat(
                        Base64.getDecoder().decode(SEED.substring(5)),
                        Base64.getDecoder()
                            .decode(Secrets.newEd25519KeyPair().publicKey().substring(5))));
    assertThatThrownBy(() -> Signer.builder(SCHEME).key(mismatched))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public half");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
