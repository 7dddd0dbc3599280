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
 * -hmac} (command next to each); GitHub's is the one its documentation publishes.
 */
class HmacHeaderSchemeTest {
  static final Instant ANY_TIME = Instant.ofEpochSecond(1_700_000_000L);
  static final String IG_SECRET = "ig-secret-for-tests";
  static final String IA_SECRET = "ia-secret-for-tests";

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
    Map<String, String> headers = sign(SignatureScheme.intelligems().signer(IG_SECRET), body);

    // printf '%s' '{"experienceId":"exp_1"}' | openssl dgst -sha256 -hmac 'ig-secret-for-tests'
    assertThat(headers)
        .containsExactly(
            Map.entry(
                "X-Intelligems-Signature",
                "79233d8174f8bccbc84de74cf75c050a3aabc6f88794dfe3a9ebbe5e8727ccf5"));
    assertThat(SignatureScheme.intelligems().verifier(IG_SECRET).verify(headers, body)).isNotNull();
    assertReason(
        () -> SignatureScheme.intelligems().verifier("other").verify(headers, body),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void insightarc_base64HmacSha1OfBodyThenRegisteredUrl() {
    String url = "https://hooks.example.com/insightarc?x=1";
    String body = "{\"signal\":1}";
    Signer signer = Signer.builder(SignatureScheme.insightarc()).key(IA_SECRET).url(url).build();

    Map<String, String> headers = sign(signer, body);
    // printf '%s%s' '{"signal":1}' 'https://hooks.example.com/insightarc?x=1' \
    //   | openssl dgst -sha1 -hmac 'ia-secret-for-tests' -binary | base64
    assertThat(headers).containsExactly(Map.entry("x-insightarc-signature", "RHMNkhLbcY8w+nsyb9iL4DHtYGM="));

    Verifier right = Verifier.builder(SignatureScheme.insightarc()).key(IA_SECRET).url(url).build();
    assertThat(right.verify(headers, body)).isNotNull();
    Verifier wrongUrl =
        Verifier.builder(SignatureScheme.insightarc()).key(IA_SECRET).url(url + "/").build();
    assertThatThrownBy(() -> wrongUrl.verify(headers, body))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
        .hasMessageContaining("URL");
  }

  @Test
  void insightarc_withoutUrl_failsAtBuild() {
    assertThatThrownBy(() -> SignatureScheme.insightarc().signer(IA_SECRET))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("url(");
    assertThatThrownBy(() -> SignatureScheme.insightarc().verifier(IA_SECRET))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shopify_base64HmacSha256() {
    Map<String, String> headers =
        sign(SignatureScheme.shopify().signer("shpss_0123456789abcdef"), "{\"id\":1}");

    // printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac 'shpss_0123456789abcdef' -binary | base64
    assertThat(headers)
        .containsExactly(Map.entry("X-Shopify-Hmac-Sha256", "mVaTwgHeRFG9h7nunXf4I2RRT/RAupBuaK+zJ+BUAaA="));
    // Also accepted unpadded.
    assertThat(
            SignatureScheme.shopify()
                .verifier("shpss_0123456789abcdef")
                .verify(Map.of("X-Shopify-Hmac-Sha256", "mVaTwgHeRFG9h7nunXf4I2RRT/RAupBuaK+zJ+BUAaA"), "{\"id\":1}"))
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
    Signer signer =
        Signer.builder(scheme).key("acme-secret-for-tests").url("https://acme.test/hook").build();

    Map<String, String> headers = sign(signer, "{}");
    // printf '%s%s' '{}' 'https://acme.test/hook' \
    //   | openssl dgst -sha512 -hmac 'acme-secret-for-tests' -binary | base64 -w0
    assertThat(headers.get("X-Acme-Sig"))
        .isEqualTo(
            "sha512=Kh0tXfhfwIZIsYVrVIqXqt5Q23EG2bZwIiUS3fbk4CzT0s/MBjLoynP1ocphqMyp/HUX5EcXn96hbMjY5/pGFQ==");
    assertThat(
            Verifier.builder(scheme)
                .key("acme-secret-for-tests")
                .url("https://acme.test/hook")
                .build()
                .verify(headers, "{}"))
        .isNotNull();
  }

  @Test
  void customScheme_defaultsAreSha256HexBody_andEqualConfigurationsAreEqual() {
    SignatureScheme a = SignatureScheme.hmac("X-Sig").build();
    SignatureScheme b = SignatureScheme.hmac("x-sig").build();

    assertThat(a.name()).isEqualTo("hmac:x-sig");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    // The same value as Intelligems', which these defaults match.
    assertThat(sign(a.signer(IG_SECRET), "{\"experienceId\":\"exp_1\"}"))
        .containsEntry("X-Sig", "79233d8174f8bccbc84de74cf75c050a3aabc6f88794dfe3a9ebbe5e8727ccf5");
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
    byte[] raw = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 0xff};
    Signer signer =
        Signer.builder(SignatureScheme.intelligems()).key(raw).key("old-secret-for-tests").build();

    Map<String, String> headers = sign(signer, "{}");
    // printf '%s' '{}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0eff
    assertThat(headers.get("X-Intelligems-Signature"))
        .isEqualTo("ba9d365242d3253918197bb89272e9d4c031402ad326d2dadbc0b4e6fb3638e9");
    assertThat(Verifier.builder(SignatureScheme.intelligems()).key(raw).build().verify(headers, "{}"))
        .isNotNull();
    assertReason(
        () -> SignatureScheme.intelligems().verifier("old-secret-for-tests").verify(headers, "{}"),
        Reason.NO_MATCHING_SIGNATURE);
    assertThat(
            Verifier.builder(SignatureScheme.intelligems())
                .key("old-secret-for-tests")
                .key(raw)
                .build()
                .verify(headers, "{}")
                .keyIndex())
        .isEqualTo(1);
  }

  @Test
  void rejections_missingEmptyMalformedTooLarge() {
    Verifier verifier = SignatureScheme.intelligems().verifier(IG_SECRET);
    assertReason(() -> verifier.verify(Map.of(), "{}"), Reason.MISSING_HEADER);
    assertReason(() -> verifier.verify(Map.of("X-Intelligems-Signature", ""), "{}"), Reason.MISSING_HEADER);
    for (String bad : new String[] {"xyz", "abc", "zz".repeat(32), " "}) {
      assertReason(() -> verifier.verify(Map.of("X-Intelligems-Signature", bad), "{}"), Reason.MALFORMED_HEADER);
    }
    assertReason(
        () -> verifier.verify(Map.of("X-Intelligems-Signature", "ab".repeat(31)), "{}"),
        Reason.NO_MATCHING_SIGNATURE);
    Verifier small =
        Verifier.builder(SignatureScheme.intelligems()).key(IG_SECRET).maxBodyBytes(1).build();
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
