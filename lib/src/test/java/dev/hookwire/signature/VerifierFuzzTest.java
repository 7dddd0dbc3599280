package dev.hookwire.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz tests of the verifiers' contract: for any headers and body, {@code verify} returns a {@link
 * VerifiedWebhook} or throws {@link SignatureVerificationException}, and no other exception
 * escapes.
 *
 * <p>Each target reads a mode from its input. In the arbitrary mode the input becomes headers (the
 * schemes' own names in random case, and other names; values of text, timestamps, encoded bytes)
 * and a body, and any outcome other than a foreign exception passes. In the signed mode a real
 * {@link Signer} signs an input-chosen body: the request as signed must verify, with the id,
 * timestamp and key index the signer used; after one byte of the body changes it must fail with
 * {@link Reason#NO_MATCHING_SIGNATURE}; after one character of a signed header changes it must
 * still only return or throw that exception. Every exception's message must be printable ASCII of
 * bounded length, so that untrusted header text cannot reach logs unescaped.
 *
 * <p>Without {@code JAZZER_FUZZ} (the normal build) each target runs once for each file in {@code
 * VerifierFuzzTestInputs/<target>}; {@link VerifierFuzzSeeds} writes those files. To fuzz one
 * target:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -pl lib test -Dtest='VerifierFuzzTest#allVerifiers'
 * </pre>
 */
class VerifierFuzzTest {
  /** The verifiers' clock, mid-second: signed timestamps are whole seconds around it. */
  static final long NOW = 1_700_000_000L;

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW, 500_000_000), ZoneOffset.UTC);
  static final long TOLERANCE_SECONDS = Verifier.DEFAULT_TOLERANCE.toSeconds();
  static final String URL = "https://receiver.example/hooks/in?tenant=7";

  static final String STANDARD_OLD_KEY = "whsec_XbDXiaBKHXR5kCeYuA7xT+4U2hIplMYsVAl9A2GWMrE=";
  static final String STANDARD_KEY = "whsec_6wNWXD/yGPOskc8FgsSZ4+zQyxhLLa+6EYxRfGPXx/M=";
  static final String ED25519_SECRET_KEY =
      "whsk_2bbZy12aXxxZs+iM/bkaKxtWorHoLcgM23KHseYMkdEZfi+wc9PpWXF/Hiqz++PgEsybCuOP3gk0IDGj1NUxUw==";
  static final String ED25519_PUBLIC_KEY = "whpk_GX4vsHPT6Vlxfx4qs/vj4BLMmwrjj94JNCAxo9TVMVM=";
  static final String STRIPE_OLD_KEY = "whsec_stripe_fuzz_old";
  static final String STRIPE_KEY = "whsec_stripe_fuzz_current";
  static final String TEXT_KEY = "It's a Secret to Everybody";

  static final SignatureScheme CUSTOM_SCHEME =
      SignatureScheme.hmac("X-Acme-Signature")
          .algorithm(HmacAlgorithm.SHA512)
          .encoding(SignatureEncoding.BASE64)
          .prefix("v0=")
          .signedContent(SignedContent.BODY_THEN_URL)
          .name("acme")
          .build();

  /** Header names the arbitrary mode picks from, besides names of its own making. */
  static final List<String> KNOWN_NAMES =
      List.of(
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "Stripe-Signature",
          "X-Intelligems-Signature",
          "x-insightarc-signature",
          "X-Hub-Signature-256",
          "X-Shopify-Hmac-Sha256",
          "X-Acme-Signature",
          "Content-Type");

  /** What the arbitrary mode writes before encoded bytes, so values get past prefix checks. */
  static final List<String> PREFIXES =
      List.of("", "v1,", "v1a,", "t=" + NOW + ",v1=", "sha256=", "v0=");

  static final List<String> SEPARATORS = List.of(" ", ",", ", ");

  static final int MAX_NAME_CHARS = 40;
  static final int MAX_TEXT_CHARS = 160;
  static final int MAX_ENCODED_BYTES = 80;
  static final int MAX_HEADERS = 12;
  static final int MAX_SIGNED_BODY_BYTES = 2048;
  static final int MAX_MESSAGE_CHARS = 2000;

  static final Signing STANDARD_SIGNING =
      new Signing(signer(SignatureScheme.standardWebhooks(), STANDARD_KEY), 1, true, true);
  static final Signing ED25519_SIGNING =
      new Signing(
          signer(SignatureScheme.standardWebhooksEd25519(), ED25519_SECRET_KEY), 0, true, true);
  static final Signing STRIPE_SIGNING =
      new Signing(signer(SignatureScheme.stripe(), STRIPE_KEY), 1, false, true);
  static final Signing GITHUB_SIGNING =
      new Signing(signer(SignatureScheme.github(), TEXT_KEY), 0, false, false);

  static final Target STANDARD =
      new Target(
          verifier(SignatureScheme.standardWebhooks(), STANDARD_OLD_KEY, STANDARD_KEY),
          STANDARD_SIGNING);
  static final Target ED25519 =
      new Target(
          verifier(SignatureScheme.standardWebhooksEd25519(), ED25519_PUBLIC_KEY), ED25519_SIGNING);
  static final Target STRIPE =
      new Target(verifier(SignatureScheme.stripe(), STRIPE_OLD_KEY, STRIPE_KEY), STRIPE_SIGNING);
  static final Target INTELLIGEMS = hmacTarget(SignatureScheme.intelligems());
  static final Target INSIGHTARC = hmacTarget(SignatureScheme.insightarc());
  static final Target GITHUB =
      new Target(verifier(SignatureScheme.github(), TEXT_KEY), GITHUB_SIGNING);
  static final Target SHOPIFY = hmacTarget(SignatureScheme.shopify());
  static final Target CUSTOM = hmacTarget(CUSTOM_SCHEME);
  static final Target ANY_OF =
      new Target(
          Verifier.anyOf(
              STANDARD.verifier(), ED25519.verifier(), STRIPE.verifier(), GITHUB.verifier()),
          STANDARD_SIGNING,
          ED25519_SIGNING,
          STRIPE_SIGNING,
          GITHUB_SIGNING);

  /** Every target, in the order {@link #allVerifiers} numbers them. */
  static final List<Target> TARGETS =
      List.of(STANDARD, ED25519, STRIPE, INTELLIGEMS, INSIGHTARC, GITHUB, SHOPIFY, CUSTOM, ANY_OF);

  /** A signer whose requests a target's verifier accepts, and what a verification must report. */
  record Signing(Signer signer, int keyIndex, boolean signsId, boolean signsTimestamp) {}

  /** A verifier under test and the signers it accepts. */
  record Target(Verifier verifier, List<Signing> signings) {
    Target(Verifier verifier, Signing... signings) {
      this(verifier, List.of(signings));
    }
  }

  private static Signer signer(SignatureScheme scheme, String key) {
    return Signer.builder(scheme).key(key).url(URL).build();
  }

  private static Verifier verifier(SignatureScheme scheme, String... keys) {
    return Verifier.builder(scheme).keys(List.of(keys)).url(URL).clock(CLOCK).build();
  }

  private static Target hmacTarget(SignatureScheme scheme) {
    return new Target(
        verifier(scheme, TEXT_KEY), new Signing(signer(scheme, TEXT_KEY), 0, false, false));
  }

  @FuzzTest
  void standardWebhooks(FuzzedDataProvider data) {
    fuzz(STANDARD, data);
  }

  @FuzzTest
  void standardWebhooksEd25519(FuzzedDataProvider data) {
    fuzz(ED25519, data);
  }

  @FuzzTest
  void stripe(FuzzedDataProvider data) {
    fuzz(STRIPE, data);
  }

  @FuzzTest
  void intelligems(FuzzedDataProvider data) {
    fuzz(INTELLIGEMS, data);
  }

  @FuzzTest
  void insightarc(FuzzedDataProvider data) {
    fuzz(INSIGHTARC, data);
  }

  @FuzzTest
  void github(FuzzedDataProvider data) {
    fuzz(GITHUB, data);
  }

  @FuzzTest
  void shopify(FuzzedDataProvider data) {
    fuzz(SHOPIFY, data);
  }

  @FuzzTest
  void customHmac(FuzzedDataProvider data) {
    fuzz(CUSTOM, data);
  }

  @FuzzTest
  void anyOf(FuzzedDataProvider data) {
    fuzz(ANY_OF, data);
  }

  /** Every target in one, chosen by the first value consumed: for one long fuzzing campaign. */
  @FuzzTest
  void allVerifiers(FuzzedDataProvider data) {
    fuzz(TARGETS.get(data.consumeInt(0, TARGETS.size() - 1)), data);
  }

  static void fuzz(Target target, FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      signed(target, data);
    } else {
      arbitrary(target, data);
    }
  }

  private static void arbitrary(Target target, FuzzedDataProvider data) {
    int count = data.consumeInt(0, MAX_HEADERS);
    List<String[]> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = name(data);
      String value = value(data);
      headers.add(new String[] {name, value});
    }
    WebhookHeaders presented = present(data.consumeInt(0, 2), headers);
    byte[] body = data.consumeRemainingAsBytes();
    rejection(target.verifier(), presented, body);
  }

  private static void signed(Target target, FuzzedDataProvider data) {
    Signing signing = target.signings().get(data.consumeInt(0, target.signings().size() - 1));
    String id = webhookId(data);
    Instant timestamp =
        Instant.ofEpochSecond(
            NOW + data.consumeInt((int) -TOLERANCE_SECONDS, (int) TOLERANCE_SECONDS));
    byte[] body = data.consumeBytes(data.consumeInt(0, MAX_SIGNED_BODY_BYTES));
    Map<String, String> signature = signing.signer().sign(id, timestamp, body);

    List<String[]> headers = new ArrayList<>();
    List<String[]> signedHeaders = new ArrayList<>();
    for (Map.Entry<String, String> header : signature.entrySet()) {
      String[] entry = {randomCase(header.getKey(), data), header.getValue()};
      headers.add(entry);
      signedHeaders.add(entry);
    }
    int extras = data.consumeInt(0, 3);
    for (int i = 0; i < extras; i++) {
      int at = data.consumeInt(0, headers.size());
      String name = name(data);
      String value = value(data);
      // A header of the same name could come first and hide the signed one; that is a forgery
      // test of its own, and the arbitrary mode covers it.
      if (signature.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        headers.add(at, new String[] {name, value});
      }
    }
    if (data.consumeBoolean()) {
      // A second line of the signature header, after the genuine one.
      String[] last = signedHeaders.get(signedHeaders.size() - 1);
      headers.add(new String[] {last[0], value(data)});
    }
    int presentation = data.consumeInt(0, 2);

    VerifiedWebhook verified;
    try {
      verified = target.verifier().verify(present(presentation, headers), body);
    } catch (SignatureVerificationException e) {
      throw new AssertionError("a correctly signed request was rejected: " + e.reason(), e);
    }
    assertThat(verified.scheme()).isEqualTo(signing.signer().scheme());
    assertThat(verified.keyIndex()).isEqualTo(signing.keyIndex());
    assertThat(verified.webhookId())
        .isEqualTo(signing.signsId() ? Optional.of(id) : Optional.empty());
    assertThat(verified.timestamp())
        .isEqualTo(signing.signsTimestamp() ? Optional.of(timestamp) : Optional.empty());

    int change = data.consumeInt(0, 3);
    if (change < 3) {
      byte[] changed = changeBody(change, body, data);
      SignatureVerificationException e =
          rejection(target.verifier(), present(presentation, headers), changed);
      assertThat(e).as("a request whose body changed after signing was accepted").isNotNull();
      assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
      for (String value : signing.signer().sign(id, timestamp, changed).values()) {
        for (String token : value.split("[ ,=]")) {
          if (token.length() >= 16) {
            assertThat(e.getMessage())
                .as("message shows the expected signature")
                .doesNotContain(token);
          }
        }
      }
    } else {
      String[] header = signedHeaders.get(data.consumeInt(0, signedHeaders.size() - 1));
      String original = header[1];
      int at = data.consumeInt(0, original.length() - 1);
      char c = (char) (original.charAt(at) ^ data.consumeInt(1, 0x7f));
      header[1] = original.substring(0, at) + c + original.substring(at + 1);
      SignatureVerificationException e =
          rejection(target.verifier(), present(presentation, headers), body);
      // Id and timestamp are signed as sent; a signature may have other spellings (hex case,
      // base64 padding bits) that decode to the same bytes.
      boolean exactlySigned =
          header[0].equalsIgnoreCase(StandardWebhooksFormat.ID)
              || header[0].equalsIgnoreCase(StandardWebhooksFormat.TIMESTAMP);
      if (exactlySigned) {
        assertThat(e).as("a request whose %s changed was accepted", header[0]).isNotNull();
      }
    }
  }

  /** Verifies, checks the exception if any, and returns it; null if the request verified. */
  private static SignatureVerificationException rejection(
      Verifier verifier, WebhookHeaders headers, byte[] body) {
    try {
      verifier.verify(headers, body);
      return null;
    } catch (SignatureVerificationException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.getMessage()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE_CHARS);
      assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c <= 0x7e))
          .as("message holds unescaped characters: %s", e.getMessage())
          .isTrue();
      return e;
    }
  }

  private static byte[] changeBody(int change, byte[] body, FuzzedDataProvider data) {
    int n = body.length;
    if (n == 0) {
      return new byte[] {(byte) data.consumeInt(0, 0xff)};
    }
    switch (change) {
      case 0:
        {
          byte[] changed = body.clone();
          changed[data.consumeInt(0, n - 1)] ^= (byte) data.consumeInt(1, 0xff);
          return changed;
        }
      case 1:
        {
          int at = data.consumeInt(0, n);
          byte[] changed = new byte[n + 1];
          System.arraycopy(body, 0, changed, 0, at);
          changed[at] = (byte) data.consumeInt(0, 0xff);
          System.arraycopy(body, at, changed, at + 1, n - at);
          return changed;
        }
      default:
        {
          int at = data.consumeInt(0, n - 1);
          byte[] changed = new byte[n - 1];
          System.arraycopy(body, 0, changed, 0, at);
          System.arraycopy(body, at + 1, changed, at, n - 1 - at);
          return changed;
        }
    }
  }

  /** Lays the headers out in one of the shapes {@link WebhookHeaders} adapts. */
  private static WebhookHeaders present(int how, List<String[]> headers) {
    switch (how) {
      case 0:
        {
          Map<String, String> map = new HashMap<>();
          for (String[] header : headers) {
            map.putIfAbsent(header[0], header[1]);
          }
          return WebhookHeaders.of(map);
        }
      case 1:
        {
          Map<String, List<String>> map = new LinkedHashMap<>();
          for (String[] header : headers) {
            map.computeIfAbsent(header[0], k -> new ArrayList<>()).add(header[1]);
          }
          return WebhookHeaders.ofMulti(map);
        }
      default:
        {
          String[] namesAndValues = new String[2 * headers.size()];
          for (int i = 0; i < headers.size(); i++) {
            namesAndValues[2 * i] = headers.get(i)[0];
            namesAndValues[2 * i + 1] = headers.get(i)[1];
          }
          return WebhookHeaders.of(namesAndValues);
        }
    }
  }

  private static String name(FuzzedDataProvider data) {
    int pick = data.consumeInt(0, KNOWN_NAMES.size());
    return pick < KNOWN_NAMES.size()
        ? randomCase(KNOWN_NAMES.get(pick), data)
        : text(data, MAX_NAME_CHARS);
  }

  private static String value(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 4);
    if (kind < 4) {
      return simpleValue(kind, data);
    }
    int parts = data.consumeInt(2, 4);
    String separator = SEPARATORS.get(data.consumeInt(0, SEPARATORS.size() - 1));
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      if (i > 0) {
        value.append(separator);
      }
      value.append(simpleValue(data.consumeInt(0, 3), data));
    }
    return value.toString();
  }

  private static String simpleValue(int kind, FuzzedDataProvider data) {
    switch (kind) {
      case 0:
        return text(data, MAX_TEXT_CHARS);
      case 1:
        return Long.toString(NOW + data.consumeInt(-400, 400));
      default:
        {
          String prefix = PREFIXES.get(data.consumeInt(0, PREFIXES.size() - 1));
          byte[] bytes = data.consumeBytes(data.consumeInt(0, MAX_ENCODED_BYTES));
          return prefix
              + (kind == 2
                  ? Base64.getEncoder().encodeToString(bytes)
                  : HexFormat.of().formatHex(bytes));
        }
    }
  }

  /** Text of one byte per char (as servers decode header bytes), or of any UTF-16 chars. */
  private static String text(FuzzedDataProvider data, int maxChars) {
    int length = data.consumeInt(0, maxChars);
    boolean wide = data.consumeBoolean();
    byte[] bytes = data.consumeBytes(wide ? 2 * length : length);
    if (!wide) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    char[] chars = new char[bytes.length / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff));
    }
    return new String(chars);
  }

  /**
   * Upper-cases the characters whose bit is set in a consumed 24-bit mask, lower-cases the rest.
   */
  private static String randomCase(String name, FuzzedDataProvider data) {
    int mask = data.consumeInt(0, 0xffffff);
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      String c = name.substring(i, i + 1);
      out.append(
          i < 24 && (mask >> i & 1) != 0 ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /** A webhook id a signer accepts: 1 to 40 visible ASCII characters. */
  private static String webhookId(FuzzedDataProvider data) {
    byte[] bytes = data.consumeBytes(data.consumeInt(1, 40));
    if (bytes.length == 0) {
      return "msg";
    }
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = (char) ('!' + (bytes[i] & 0xff) % 94);
    }
    return new String(chars);
  }
}
