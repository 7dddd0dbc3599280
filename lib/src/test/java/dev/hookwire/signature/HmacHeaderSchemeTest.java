package dev.hookwire.signature;

import static dev.hookwire.signature.StandardWebhooksTest.assertReason;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HMAC header schemes. Expected values were computed independently with {@code openssl dgst
 * -hmac}; GitHub's is the one its documentation publishes.
 */
class HmacHeaderSchemeTest {
  static final Instant ANY_TIME = Instant.ofEpochSecond(1_700_000_000L);

  static Map<String, String> sign(Signer signer, String body) {
    return signer.sign("msg_ignored", ANY_TIME, body.getBytes(UTF_8));
  }

  @Test
  void github_publishedVector() {
    Signer signer = SignatureScheme.github().signer("It's a Secret to Everybody");

    Map<String, String> headers = sign(signer, "Hello, World!");
    assertThat(headers)
        .containsExactly(
            Map.entry(
                "X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    assertThat(
            SignatureScheme.github()
                .verifier("It's a Secret to Everybody")
                .verify(Map.of("x-hub-signature-256", headers.get("X-Hub-Signature-256")), "Hello, World!"))
        .satisfies(v -> {
          assertThat(v.webhookId()).isEmpty();
          assertThat(v.timestamp()).isEmpty();
        });
  }

  @Test
  void github_requiresThePrefix() {
    assertReason(
        () ->
            SignatureScheme.github()
                .verifier("It's a Secret to Everybody")
                .verify(
                    Map.of("X-Hub-Signature-256", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                    "Hello, World!"),
        Reason.MALFORMED_HEADER);
  }

  @Test
  void intelligems_hexHmacSha256OfTheBody() {
    String body = "{\"experienceId\":\"exp_1\"}";
    Map<String, String> headers = sign(SignatureScheme.intelligems().signer("ig-secret"), body);

    assertThat(headers)
        .containsExactly(
            Map.entry(
                "X-Intelligems-Signature",
                "84a222835a376ef6bef51aa3e3471a25138ddf5690ec6684323f9aa55446e7db"));
    assertThat(SignatureScheme.intelligems().verifier("ig-secret").verify(headers, body)).isNotNull();
    assertReason(
        () -> SignatureScheme.intelligems().verifier("other").verify(headers, body),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void insightarc_base64HmacSha1OfBodyThenRegisteredUrl() {
    String url = "https://hooks.example.com/insightarc?x=1";
    String body = "{\"signal\":1}";
    Signer signer = Signer.builder(SignatureScheme.insightarc()).key("ia-secret").url(url).build();

    Map<String, String> headers = sign(signer, body);
    assertThat(headers).containsExactly(Map.entry("x-insightarc-signature", "Z09IUrCEPw58LNCe2aIBG634qnQ="));

    Verifier right = Verifier.builder(SignatureScheme.insightarc()).key("ia-secret").url(url).build();
    assertThat(right.verify(headers, body)).isNotNull();
    Verifier wrongUrl =
        Verifier.builder(SignatureScheme.insightarc()).key("ia-secret").url(url + "/").build();
    assertThatThrownBy(() -> wrongUrl.verify(headers, body))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("URL");
  }

  @Test
  void insightarc_withoutUrl_failsAtBuild() {
    assertThatThrownBy(() -> SignatureScheme.insightarc().signer("ia-secret"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("url(");
    assertThatThrownBy(() -> SignatureScheme.insightarc().verifier("ia-secret"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shopify_base64HmacSha256() {
    Map<String, String> headers = sign(SignatureScheme.shopify().signer("shpss_secret"), "{\"id\":1}");

    assertThat(headers)
        .containsExactly(Map.entry("X-Shopify-Hmac-Sha256", "xocA3LkeJ/RvNrkxep1EUtFHuj7rIoIqZYaLU26LyPQ="));
    // Also accepted unpadded.
    assertThat(
            SignatureScheme.shopify()
                .verifier("shpss_secret")
                .verify(Map.of("X-Shopify-Hmac-Sha256", "xocA3LkeJ/RvNrkxep1EUtFHuj7rIoIqZYaLU26LyPQ"), "{\"id\":1}"))
        .isNotNull();
  }

  @Test
  void customScheme_allOptions() {
    SignatureScheme scheme =
        SignatureScheme.hmac("X-Acme-Sig")
            .algorithm(HmacAlgorithm.SHA512)
            .encoding(SignatureEncoding.BASE64)
            .prefix("sha512=")
            .signedContent(SignedContent.BODY_THEN_URL)
            .name("acme")
            .build();
    assertThat(scheme.name()).isEqualTo("acme");
    Signer signer = Signer.builder(scheme).key("k").url("https://acme.test/hook").build();

    Map<String, String> headers = sign(signer, "{}");
    assertThat(headers.get("X-Acme-Sig")).startsWith("sha512=").hasSize("sha512=".length() + 88);
    assertThat(Verifier.builder(scheme).key("k").url("https://acme.test/hook").build().verify(headers, "{}"))
        .isNotNull();
  }

  @Test
  void customScheme_defaultsAreSha256HexBody_andEqualConfigurationsAreEqual() {
    SignatureScheme a = SignatureScheme.hmac("X-Sig").build();
    SignatureScheme b = SignatureScheme.hmac("x-sig").build();

    assertThat(a.name()).isEqualTo("hmac:x-sig");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(sign(a.signer("ig-secret"), "{\"experienceId\":\"exp_1\"}"))
        .containsEntry("X-Sig", "84a222835a376ef6bef51aa3e3471a25138ddf5690ec6684323f9aa55446e7db");
  }

  @Test
  void customScheme_badSettingsFailAtTheSetter() {
    assertThatThrownBy(() -> SignatureScheme.hmac("X Sig"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header name");
    assertThatThrownBy(() -> SignatureScheme.hmac("X-Sig").prefix("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> SignatureScheme.hmac("X-Sig").name(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawKeyBytes_andRotation_andSingleSignatureFromThePrimaryKey() {
    byte[] raw = {0, 1, 2, (byte) 0xff};
    Signer signer = Signer.builder(SignatureScheme.intelligems()).key(raw).key("old").build();

    Map<String, String> headers = sign(signer, "{}");
    assertThat(headers.get("X-Intelligems-Signature")).hasSize(64);
    assertThat(Verifier.builder(SignatureScheme.intelligems()).key(raw).build().verify(headers, "{}"))
        .isNotNull();
    assertReason(
        () -> SignatureScheme.intelligems().verifier("old").verify(headers, "{}"),
        Reason.NO_MATCHING_SIGNATURE);
    assertThat(
            Verifier.builder(SignatureScheme.intelligems()).key("old").key(raw).build().verify(headers, "{}").keyIndex())
        .isEqualTo(1);
  }

  @Test
  void rejections_missingEmptyMalformedTooLarge() {
    Verifier verifier = SignatureScheme.intelligems().verifier("ig-secret");
    assertReason(() -> verifier.verify(Map.of(), "{}"), Reason.MISSING_HEADER);
    assertReason(() -> verifier.verify(Map.of("X-Intelligems-Signature", ""), "{}"), Reason.MISSING_HEADER);
    for (String bad : new String[] {"xyz", "abc", "zz".repeat(32), " "}) {
      assertReason(() -> verifier.verify(Map.of("X-Intelligems-Signature", bad), "{}"), Reason.MALFORMED_HEADER);
    }
    assertReason(
        () -> verifier.verify(Map.of("X-Intelligems-Signature", "ab".repeat(31)), "{}"),
        Reason.NO_MATCHING_SIGNATURE);
    Verifier small =
        Verifier.builder(SignatureScheme.intelligems()).key("ig-secret").maxBodyBytes(1).build();
    assertReason(() -> small.verify(Map.of(), "{}"), Reason.BODY_TOO_LARGE);
  }

  @Test
  void emptyKeys_failWhenAdded() {
    assertThatThrownBy(() -> SignatureScheme.github().signer(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 is empty");
    assertThatThrownBy(() -> SignatureScheme.stripe().verifier(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
