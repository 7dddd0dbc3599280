package dev.hookwire.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Standard Webhooks v1: the specification's vector, interop, rotation, tolerance, rejections. */
class StandardWebhooksTest {
  // The vector published with the specification's reference libraries.
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TS = 1614265330L;
  static final byte[] BODY = "{\"test\": 2432232314}".getBytes(UTF_8);
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final SignatureScheme SCHEME = SignatureScheme.standardWebhooks();

  static Clock clockAt(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  /** A verifier whose clock reads {@code epochSecond}, holding {@code keys} or else the vector's. */
  static Verifier verifierAt(long epochSecond, String... keys) {
    List<String> list = keys.length == 0 ? List.of(SECRET) : List.of(keys);
    return Verifier.builder(SCHEME).keys(list).clock(clockAt(epochSecond)).build();
  }

  static Map<String, String> headers(String id, String ts, String signature) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", ts);
    headers.put("webhook-signature", signature);
    return headers;
  }

  @Test
  void signsTheSpecificationVector() {
    Map<String, String> headers = SCHEME.signer(SECRET).sign(ID, Instant.ofEpochSecond(TS), BODY);

    assertThat(headers)
        .containsExactly(
            Map.entry("webhook-id", ID),
            Map.entry("webhook-timestamp", Long.toString(TS)),
            Map.entry("webhook-signature", SIGNATURE));
  }

  @Test
  void verifiesTheSpecificationVector() {
    VerifiedWebhook verified =
        verifierAt(TS).verify(headers(ID, Long.toString(TS), SIGNATURE), BODY);

    assertThat(verified.scheme()).isEqualTo(SCHEME);
    assertThat(verified.webhookId()).contains(ID);
    assertThat(verified.timestamp()).contains(Instant.ofEpochSecond(TS));
    assertThat(verified.keyIndex()).isZero();
  }

  @Test
  void secretFormats_prefixedBareUnpaddedAndRawBytes_allVerifyTheVector() {
    String bare = SECRET.substring("whsec_".length());
    byte[] raw = Base64.getDecoder().decode(bare);
    // A secret whose base64 needs padding, written without it.
    byte[] odd = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
    String padded = Base64.getEncoder().encodeToString(odd);
    assertThat(padded).endsWith("=");
    String unpadded = padded.replace("=", "");

    Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);
    assertThat(verifierAt(TS, bare).verify(headers, BODY).keyIndex()).isZero();
    assertThat(
            Verifier.builder(SCHEME).key(raw).clock(clockAt(TS)).build().verify(headers, BODY))
        .isNotNull();

    Map<String, String> signedPadded =
        SCHEME.signer("whsec_" + padded).sign(ID, Instant.ofEpochSecond(TS), BODY);
    Map<String, String> signedUnpadded =
        SCHEME.signer(unpadded).sign(ID, Instant.ofEpochSecond(TS), BODY);
    assertThat(signedUnpadded).isEqualTo(signedPadded);
  }

  @Test
  void malformedSecrets_failWhenAdded_withoutEchoingTheSecret() {
    assertThatThrownBy(() -> Signer.builder(SCHEME).key("whsec_not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0")
        .hasMessageContaining("whsec_")
        .hasMessageNotContaining("not*base64");
    assertThatThrownBy(() -> Verifier.builder(SCHEME).key("whsec_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Verifier.builder(SCHEME).key(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Verifier.builder(SCHEME).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no key");
  }

  @Test
  void referenceLibraryVerifiesOurSignature() throws Exception {
    String secret = Secrets.newStandardSecret();
    byte[] body = "{\"type\":\"experience.started\",\"data\":{\"name\":\"Price test ü\"}}".getBytes(UTF_8);
    Map<String, String> ours = SCHEME.signer(secret).sign("msg_interop1", Instant.now(), body);

    Map<String, List<String>> theirs = new TreeMap<>();
    ours.forEach((name, value) -> theirs.put(name, List.of(value)));
    new Webhook(secret).verify(new String(body, UTF_8), theirs);
  }

  @Test
  void weVerifyTheReferenceLibrarysSignature() throws Exception {
    String secret = Secrets.newStandardSecret(24);
    String body = "{\"hello\":\"wörld\"}";
    long now = Instant.now().getEpochSecond();
    String signature = new Webhook(secret).sign("msg_interop2", now, body);

    VerifiedWebhook verified =
        SCHEME
            .verifier(secret)
            .verify(headers("msg_interop2", Long.toString(now), signature), body.getBytes(UTF_8));
    assertThat(verified.webhookId()).contains("msg_interop2");
  }

  @Test
  void rotation_signerSignsWithEveryKey_verifierAcceptsAnyAndReportsWhich() {
    String oldKey = Secrets.newStandardSecret();
    String newKey = Secrets.newStandardSecret();
    Map<String, String> signed =
        Signer.builder(SCHEME).key(newKey).key(oldKey).build().sign(ID, Instant.ofEpochSecond(TS), BODY);

    String[] signatures = signed.get("webhook-signature").split(" ");
    assertThat(signatures).hasSize(2).allMatch(s -> s.startsWith("v1,"));

    assertThat(verifierAt(TS, oldKey).verify(signed, BODY).keyIndex()).isZero();
    assertThat(verifierAt(TS, newKey).verify(signed, BODY).keyIndex()).isZero();
    assertThat(verifierAt(TS, Secrets.newStandardSecret(), oldKey).verify(signed, BODY).keyIndex())
        .isEqualTo(1);
    assertThatThrownBy(() -> verifierAt(TS, Secrets.newStandardSecret()).verify(signed, BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE));
  }

  @Test
  void verifierAcceptsAnySignatureInTheList_andIgnoresOtherVersions() {
    Map<String, String> headers =
        headers(
            ID,
            Long.toString(TS),
            "v1a,AAAA  v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,zzz " + SIGNATURE + " ");

    assertThat(verifierAt(TS).verify(headers, BODY)).isNotNull();
  }

  @Test
  void signaturesOnSeveralHeaderLines_areAllConsidered() {
    WebhookHeaders headers =
        WebhookHeaders.of(
            "Webhook-Id", ID,
            "Webhook-Timestamp", Long.toString(TS),
            "Webhook-Signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "WEBHOOK-SIGNATURE", SIGNATURE);

    assertThat(verifierAt(TS).verify(headers, BODY).webhookId()).contains(ID);
  }

  @Test
  void headersMatchInAnyCase_inSingleAndMultiValuedMaps() {
    Map<String, String> upper = new LinkedHashMap<>();
    upper.put("Content-Type", "application/json");
    upper.put("WEBHOOK-ID", ID);
    upper.put("Webhook-Timestamp", Long.toString(TS));
    upper.put("webhook-SIGNATURE", SIGNATURE);
    assertThat(verifierAt(TS).verify(upper, BODY)).isNotNull();

    Map<String, List<String>> multi = new LinkedHashMap<>();
    upper.forEach((k, v) -> multi.put(k, new ArrayList<>(List.of(v))));
    assertThat(verifierAt(TS).verify(WebhookHeaders.ofMulti(multi), BODY)).isNotNull();
  }

  @Test
  void stringBodyOverloadEncodesUtf8() {
    assertThat(verifierAt(TS).verify(headers(ID, Long.toString(TS), SIGNATURE), new String(BODY, UTF_8)))
        .isNotNull();
  }

  @Test
  void toleranceEdges_300sInAnd301sOut_inBothDirections() {
    Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);

    assertThat(verifierAt(TS + 300).verify(headers, BODY)).isNotNull();
    assertThat(verifierAt(TS - 300).verify(headers, BODY)).isNotNull();
    assertReason(() -> verifierAt(TS + 301).verify(headers, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertReason(() -> verifierAt(TS - 301).verify(headers, BODY), Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void toleranceIsComparedAtOneSecondPrecision() {
    Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);
    Clock lateInSecond = Clock.fixed(Instant.ofEpochSecond(TS + 300, 999_000_000), ZoneOffset.UTC);

    assertThat(Verifier.builder(SCHEME).key(SECRET).clock(lateInSecond).build().verify(headers, BODY))
        .isNotNull();
  }

  @Test
  void toleranceIsConfigurable() {
    Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);
    Verifier strict =
        Verifier.builder(SCHEME).key(SECRET).tolerance(Duration.ofSeconds(10)).clock(clockAt(TS + 11)).build();
    Verifier lax =
        Verifier.builder(SCHEME).key(SECRET).tolerance(Duration.ofHours(1)).clock(clockAt(TS + 3600)).build();
    Verifier exact =
        Verifier.builder(SCHEME).key(SECRET).tolerance(Duration.ZERO).clock(clockAt(TS)).build();

    assertReason(() -> strict.verify(headers, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertThat(lax.verify(headers, BODY)).isNotNull();
    assertThat(exact.verify(headers, BODY)).isNotNull();
    assertThatThrownBy(() -> Verifier.builder(SCHEME).tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tolerance");
  }

  @Test
  void tooOldMessageSaysHowFarAndTheTolerance() {
    Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);

    assertThatThrownBy(() -> verifierAt(TS + 1000).verify(headers, BODY))
        .hasMessageContaining("1000 s before")
        .hasMessageContaining("tolerance of 300 s");
  }

  @Test
  void millisecondTimestamp_isTooNew_withAHint() {
    Map<String, String> headers = headers(ID, Long.toString(TS * 1000), SIGNATURE);

    assertThatThrownBy(() -> verifierAt(TS).verify(headers, BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_NEW))
        .hasMessageContaining("milliseconds");
  }

  @Test
  void missingHeaders_eachNamed() {
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      Map<String, String> headers = headers(ID, Long.toString(TS), SIGNATURE);
      headers.remove(name);
      assertThatThrownBy(() -> verifierAt(TS).verify(headers, BODY))
          .isInstanceOfSatisfying(
              SignatureVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER))
          .hasMessageContaining(name);

      Map<String, String> empty = headers(ID, Long.toString(TS), SIGNATURE);
      empty.put(name, "");
      assertReason(() -> verifierAt(TS).verify(empty, BODY), Reason.MISSING_HEADER);
    }
  }

  @Test
  void malformedTimestamps() {
    for (String ts :
        List.of("hello", "-1614265330", "1614265330.5", "1e9", "99999999999999999999999", "0x10", " ", "١٦١٤")) {
      assertReason(
          () -> verifierAt(TS).verify(headers(ID, ts, SIGNATURE), BODY), Reason.MALFORMED_HEADER);
    }
  }

  @Test
  void hugeButParseableTimestamp_isTooNew_notAnOverflow() {
    assertReason(
        () -> verifierAt(TS).verify(headers(ID, "999999999999999999", SIGNATURE), BODY),
        Reason.TIMESTAMP_TOO_NEW);
    assertReason(
        () -> verifierAt(TS).verify(headers(ID, "0", SIGNATURE), BODY), Reason.TIMESTAMP_TOO_OLD);
  }

  @Test
  void malformedSignatureHeaders() {
    for (String signature : List.of("v1", "v1,", "garbage", ",,,", "v1,!!!notbase64", "   ", "v1,AAAA=====")) {
      assertThatThrownBy(() -> verifierAt(TS).verify(headers(ID, Long.toString(TS), signature), BODY))
          .isInstanceOf(SignatureVerificationException.class)
          .satisfies(
              e ->
                  assertThat(((SignatureVerificationException) e).reason())
                      .isIn(Reason.MALFORMED_HEADER, Reason.MISSING_HEADER));
    }
  }

  @Test
  void truncatedSignature_isNoMatch() {
    String truncated = SIGNATURE.substring(0, SIGNATURE.length() - 8);

    assertReason(
        () -> verifierAt(TS).verify(headers(ID, Long.toString(TS), truncated), BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void onlyOtherVersions_isNoMatch_namingThem() {
    assertThatThrownBy(
            () -> verifierAt(TS).verify(headers(ID, Long.toString(TS), "v1a,AAAA v2,BBBB"), BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("v1a");
  }

  @Test
  void tamperedBodyIdOrTimestamp_isNoMatch_withTheRawBodyHint() {
    byte[] tampered = "{\"test\":2432232314}".getBytes(UTF_8);
    assertThatThrownBy(() -> verifierAt(TS).verify(headers(ID, Long.toString(TS), SIGNATURE), tampered))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("raw request body")
        .hasMessageNotContaining(SECRET.substring(6));
    assertReason(
        () -> verifierAt(TS).verify(headers("msg_other", Long.toString(TS), SIGNATURE), BODY),
        Reason.NO_MATCHING_SIGNATURE);
    assertReason(
        () -> verifierAt(TS).verify(headers(ID, Long.toString(TS + 1), SIGNATURE), BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void bodyTooLarge_isRejectedBeforeAnythingElse() {
    Verifier small = Verifier.builder(SCHEME).key(SECRET).maxBodyBytes(BODY.length - 1).build();

    assertThatThrownBy(() -> small.verify(Map.of(), BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BODY_TOO_LARGE))
        .hasMessageContaining(Integer.toString(BODY.length));
    Verifier exact =
        Verifier.builder(SCHEME).key(SECRET).maxBodyBytes(BODY.length).clock(clockAt(TS)).build();
    assertThat(exact.verify(headers(ID, Long.toString(TS), SIGNATURE), BODY)).isNotNull();
  }

  @Test
  void signer_rejectsIdsThatCannotGoInAHeader_andPre1970Timestamps() {
    Signer signer = SCHEME.signer(SECRET);

    assertThatThrownBy(() -> signer.sign("", Instant.ofEpochSecond(TS), BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webhookId");
    assertThatThrownBy(() -> signer.sign("msg 1", Instant.ofEpochSecond(TS), BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 3");
    assertThatThrownBy(() -> signer.sign("msg\r\nX: y", Instant.ofEpochSecond(TS), BODY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign(ID, Instant.ofEpochSecond(-1), BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestamp");
  }

  @Test
  void signer_truncatesTimestampToSeconds() {
    Map<String, String> headers =
        SCHEME.signer(SECRET).sign(ID, Instant.ofEpochSecond(TS, 999_999_999), BODY);

    assertThat(headers.get("webhook-signature")).isEqualTo(SIGNATURE);
  }

  @Test
  void toStringNeverShowsAKey() {
    String secret = Secrets.newStandardSecret();
    String encoded = secret.substring(6);

    assertThat(SCHEME.signer(secret).toString()).doesNotContain(encoded).contains("standard");
    assertThat(SCHEME.verifier(secret).toString()).doesNotContain(encoded).contains("1 key");
  }

  @Test
  void moreThanSixteenSignatures_isMalformed_beforeAnyIsChecked() {
    String many = String.join(" ", java.util.Collections.nCopies(17, "v1a,AAAA")) + " " + SIGNATURE;

    assertThatThrownBy(() -> verifierAt(TS).verify(headers(ID, Long.toString(TS), many), BODY))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER))
        .hasMessageContaining("more than 16");
  }

  @Test
  void idWithCharactersAHeaderCannotCarry_isMalformed() {
    // U+D800 would be signed as "?" by a UTF-8 encoder, so it must not reach the MAC.
    assertReason(
        () -> verifierAt(TS).verify(headers("msg_\uD800", Long.toString(TS), SIGNATURE), BODY),
        Reason.MALFORMED_HEADER);
    assertReason(
        () -> verifierAt(TS).verify(headers("msg é", Long.toString(TS), SIGNATURE), BODY),
        Reason.MALFORMED_HEADER);
  }

  @Test
  void timestampIsVerifiedAsSent_notAsReformatted() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
    String padded = "0" + TS;
    String signature =
        "v1," + Base64.getEncoder().encodeToString(mac.doFinal((ID + "." + padded + "." + new String(BODY, UTF_8)).getBytes(UTF_8)));

    assertThat(verifierAt(TS).verify(headers(ID, padded, signature), BODY)).isNotNull();
    assertReason(
        () -> verifierAt(TS).verify(headers(ID, padded, SIGNATURE), BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
