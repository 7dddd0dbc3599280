package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeygenCommandTest {
  private static final String BODY = "{\"type\":\"experience.started\",\"data\":{\"name\":\"Prix ü\"}}";
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private final Cli cli = Cli.create().clock(Clock.fixed(NOW, ZoneOffset.UTC));

  /** Every scheme the command line knows. */
  static Stream<String> everyScheme() {
    return Schemes.ALL.stream().map(Schemes.Info::name);
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void aNewKeySignsThroughSignAndVerifiesWithTheSchemesVerifier(String scheme) {
    TestKeys keys = generate(scheme);

    Cli.Result signed = cli.runWithInput(BODY, SignVerifyTest.args("sign", keys.signOptions()));
    assertThat(signed.exit()).as(signed.err()).isZero();

    VerifiedWebhook verified = verifier(scheme, keys.verifying()).verify(headers(signed.out()), bytes());
    assertThat(verified.scheme().name()).isEqualTo(scheme);
    assertThat(verified.keyIndex()).isZero();
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void aNewKeySignsThroughTheLibrarysSigner_andAnotherNewKeyDoesNotVerify(String scheme) {
    TestKeys keys = generate(scheme);
    TestKeys other = generate(scheme);
    Signer.Builder builder = Signer.builder(SignatureScheme.forName(scheme)).key(keys.signing());
    if (scheme.equals("insightarc")) {
      builder.url(TestKeys.URL);
    }
    Map<String, String> signed = builder.build().sign("msg_keygen1", NOW, bytes());
    WebhookHeaders headers = WebhookHeaders.of(signed);

    assertThat(verifier(scheme, keys.verifying()).verify(headers, bytes()).keyIndex()).isZero();
    assertThatThrownBy(() -> verifier(scheme, other.verifying()).verify(headers, bytes()))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE));
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void standardOutputHoldsTheKeysAndNothingElse(String scheme) {
    Cli.Result result = cli.run("keygen", "--scheme", scheme);

    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(result.out()).endsWith("\n");
    switch (scheme) {
      case "standard":
        assertThat(lines).singleElement().asString().matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(result.err()).isEmpty();
        break;
      case "standard-ed25519":
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("whsk_[A-Za-z0-9+/]{86}==");
        assertThat(lines.get(1)).matches("whpk_[A-Za-z0-9+/]{43}=");
        assertThat(result.err()).contains("line 1", "whsk_", "line 2", "whpk_");
        break;
      default:
        assertThat(lines).singleElement().asString().matches("[0-9a-f]{64}");
        assertThat(result.err()).isEmpty();
        break;
    }
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void twoRunsMakeDifferentKeys(String scheme) {
    Cli.Result first = cli.run("keygen", "--scheme", scheme);
    Cli.Result second = cli.run("keygen", "--scheme", scheme);

    List<String> firstLines = first.out().lines().toList();
    List<String> secondLines = second.out().lines().toList();
    assertThat(firstLines).hasSameSizeAs(secondLines);
    for (int i = 0; i < firstLines.size(); i++) {
      assertThat(firstLines.get(i)).isNotEqualTo(secondLines.get(i));
    }
  }

  @Test
  void anUnknownSchemeExitsWith2AndNamesIt() {
    Cli.Result result = cli.run("keygen", "--scheme", "svix-ish");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("hookwire keygen: unknown scheme \"svix-ish\"; known schemes: standard, ")
        .contains("Run 'hookwire keygen --help' for usage.");
  }

  @Test
  void aMissingSchemeExitsWith2() {
    Cli.Result result = cli.run("keygen");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("hookwire keygen: missing --scheme\n");
  }

  @Test
  void keygenTakesNoKeys() {
    Cli.Result result = cli.run("keygen", "--scheme", "standard", "--secret", "whsec_x");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("unknown option --secret").doesNotContain("whsec_x");
  }

  @Test
  void hasHelp() {
    Cli.Result help = cli.run("keygen", "--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .startsWith("usage: hookwire keygen --scheme S\n")
        .contains("--scheme S", "whsk_", "whpk_", "-h, --help")
        .doesNotContain("--secret");
    assertThat(cli.run("help", "keygen").out()).isEqualTo(help.out());
  }

  /** Keys made by {@code hookwire keygen}, read from its standard output. */
  private TestKeys generate(String scheme) {
    Cli.Result result = cli.run("keygen", "--scheme", scheme);
    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    return new TestKeys(scheme, lines.get(0), lines.get(lines.size() - 1));
  }

  private static Verifier verifier(String scheme, String key) {
    Verifier.Builder builder =
        Verifier.builder(SignatureScheme.forName(scheme))
            .key(key)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    if (scheme.equals("insightarc")) {
      builder.url(TestKeys.URL);
    }
    return builder.build();
  }

  /** The headers {@code sign} printed, one {@code Name: value} a line. */
  private static WebhookHeaders headers(String signOutput) {
    List<String> namesAndValues = new ArrayList<>();
    signOutput
        .lines()
        .forEach(
            line -> {
              int colon = line.indexOf(": ");
              namesAndValues.add(line.substring(0, colon));
              namesAndValues.add(line.substring(colon + 2));
            });
    return WebhookHeaders.of(namesAndValues.toArray(new String[0]));
  }

  private static byte[] bytes() {
    return BODY.getBytes(UTF_8);
  }
}
