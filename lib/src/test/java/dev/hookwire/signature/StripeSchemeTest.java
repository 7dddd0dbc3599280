package dev.hookwire.signature;

import static dev.hookwire.signature.StandardWebhooksTest.assertReason;
import static dev.hookwire.signature.StandardWebhooksTest.clockAt;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stripe-style {@code t=,v1=} signatures. */
class StripeSchemeTest {
  static final SignatureScheme SCHEME = SignatureScheme.stripe();
  static final String SECRET = "whsec_stripetest";
  static final long TS = 1614265330L;
  static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(UTF_8);
  // printf '%s' '1614265330.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_stripetest
  static final String HEX = "24c4148ac2d2275f458d4c27dfd733ef2941a7d74bbb788324117c70b2206e7a";
  static final String NEW_SECRET = "whsec_stripetest_new";
  // printf '%s' '1614265330.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_stripetest_new
  static final String NEW_HEX = "610088c665bbe1d8ea2a4119e5b66a238be966f61163a40b7a33373b355eee8c";

  static Verifier verifierAt(long second, String... keys) {
    return Verifier.builder(SCHEME).keys(java.util.List.of(keys)).clock(clockAt(second)).build();
  }

  @Test
  void signsWithTheSecretTextAsKey() {
    assertThat(SCHEME.signer(SECRET).sign("ignored", Instant.ofEpochSecond(TS), BODY))
        .containsExactly(Map.entry("Stripe-Signature", "t=" + TS + ",v1=" + HEX));
  }

  @Test
  void verifiesAnyV1AmongOthers_inAnyHexCase() {
    String header = "t=" + TS + ",v0=abc,v1=" + "00".repeat(32) + ",v1=" + HEX.toUpperCase();

    VerifiedWebhook verified =
        verifierAt(TS, SECRET).verify(Map.of("stripe-signature", header), BODY);
    assertThat(verified.timestamp()).contains(Instant.ofEpochSecond(TS));
    assertThat(verified.webhookId()).isEmpty();
  }

  @Test
  void rotation() {
    Map<String, String> headers =
        Signer.builder(SCHEME).key(NEW_SECRET).key(SECRET).build().sign("x", Instant.ofEpochSecond(TS), BODY);
    assertThat(headers.get("Stripe-Signature")).isEqualTo("t=" + TS + ",v1=" + NEW_HEX + ",v1=" + HEX);

    assertThat(verifierAt(TS, "whsec_other", SECRET).verify(headers, BODY).keyIndex()).isEqualTo(1);
  }

  @Test
  void tolerance() {
    Map<String, String> headers = Map.of("Stripe-Signature", "t=" + TS + ",v1=" + HEX);

    assertThat(verifierAt(TS + 300, SECRET).verify(headers, BODY)).isNotNull();
    assertReason(() -> verifierAt(TS + 301, SECRET).verify(headers, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertReason(() -> verifierAt(TS - 301, SECRET).verify(headers, BODY), Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void rejections() {
    assertReason(() -> verifierAt(TS, SECRET).verify(Map.of(), BODY), Reason.MISSING_HEADER);
    for (String bad : new String[] {"v1=" + HEX, "garbage", ",,,", "t=,v1=" + HEX, "t=abc,v1=" + HEX, "t=" + TS + ",v1=zz"}) {
      assertReason(
          () -> verifierAt(TS, SECRET).verify(Map.of("Stripe-Signature", bad), BODY),
          Reason.MALFORMED_HEADER);
    }
    assertThatThrownBy(
            () -> verifierAt(TS, SECRET).verify(Map.of("Stripe-Signature", "t=" + TS + ",v0=" + HEX), BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("no v1=");
    assertReason(
        () -> verifierAt(TS, SECRET).verify(Map.of("Stripe-Signature", "t=" + TS + ",v1=" + HEX), "{}".getBytes(UTF_8)),
        Reason.NO_MATCHING_SIGNATURE);
    assertReason(
        () -> verifierAt(TS, SECRET).verify(Map.of("Stripe-Signature", "t=" + TS + ",v1=" + HEX.substring(2)), BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }
}
