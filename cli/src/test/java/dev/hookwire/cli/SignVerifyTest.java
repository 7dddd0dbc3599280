package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SignVerifyTest {
  private static final String BODY = "{\"type\":\"experience.started\",\"data\":{\"name\":\"Prix ü\"}}";
  private static final long TS = 1_714_564_800L; // 2024-05-01T12:00:00Z
  private final Cli cli = Cli.create();

  static Stream<String> everyScheme() {
    return Stream.of(
        "standard", "standard-ed25519", "intelligems", "insightarc", "github", "shopify", "stripe");
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void signThenVerifyRoundTrips(String scheme) {
    TestKeys keys = TestKeys.forScheme(scheme);
    Cli.Result signed = cli.runWithInput(BODY, args("sign", keys.signOptions()));
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.err()).isEmpty();

    Cli.Result verified =
        cli.runWithInput(BODY, args("verify", keys.verifyOptions(), headerOptions(signed.out())));
    assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).startsWith("valid\n").contains("scheme: " + scheme, "key: #0");
    assertThat(signed.out() + signed.err() + verified.out() + verified.err())
        .doesNotContain(keys.signing());

    Cli.Result tampered =
        cli.runWithInput(
            BODY.replace("Prix", "Prix "),
            args("verify", keys.verifyOptions(), headerOptions(signed.out())));
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.out()).startsWith("invalid: NO_MATCHING_SIGNATURE: ");
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void signPrintsWhatTheLibrarysSignerMakes(String scheme) {
    TestKeys keys = TestKeys.forScheme(scheme);
    Cli.Result signed =
        cli.runWithInput(
            BODY,
            args("sign", keys.signOptions(), "--id", "msg_fixed1", "--timestamp", Long.toString(TS)));

    Signer.Builder signer = Signer.builder(SignatureScheme.forName(scheme)).key(keys.signing());
    if (scheme.equals("insightarc")) {
      signer.url(TestKeys.URL);
    }
    StringBuilder expected = new StringBuilder();
    signer
        .build()
        .sign("msg_fixed1", Instant.ofEpochSecond(TS), BODY.getBytes(UTF_8))
        .forEach((name, value) -> expected.append(name).append(": ").append(value).append('\n'));
    assertThat(signed.out()).isEqualTo(expected.toString());
  }

  @ParameterizedTest
  @MethodSource("everyScheme")
  void verifyAcceptsWhatTheLibrarysSignerMakes(String scheme) {
    TestKeys keys = TestKeys.forScheme(scheme);
    Signer.Builder signer = Signer.builder(SignatureScheme.forName(scheme)).key(keys.signing());
    if (scheme.equals("insightarc")) {
      signer.url(TestKeys.URL);
    }
    Map<String, String> headers =
        signer.build().sign("msg_lib1", Instant.ofEpochSecond(TS), BODY.getBytes(UTF_8));
    List<String> options = new ArrayList<>(keys.verifyOptions());
    headers.forEach((name, value) -> options.addAll(List.of("-H", name + ": " + value)));

    Cli.Result verified =
        cli.runWithInput(BODY, args("verify", options, "--now", Long.toString(TS + 30)));
    assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).startsWith("valid\n");
    boolean standard = scheme.startsWith("standard");
    assertThat(verified.out().contains("id: msg_lib1")).isEqualTo(standard);
    assertThat(verified.out().contains("timestamp: 2024-05-01T12:00:00Z (" + TS + ")"))
        .isEqualTo(standard || scheme.equals("stripe"));
  }

  @Test
  void verifyAcceptsTheReferenceLibrarysSignature() throws Exception {
    String secret = Secrets.newStandardSecret();
    String signature = new Webhook(secret).sign("msg_reference", TS, BODY);

    Cli.Result verified =
        cli.runWithInput(
            BODY,
            "verify", "--scheme", "standard", "--secret", secret,
            "-H", "webhook-id: msg_reference",
            "-H", "webhook-timestamp: " + TS,
            "-H", "webhook-signature: " + signature,
            "--now", "2024-05-01T12:04:00Z");
    assertThat(verified.exit()).as(verified.out()).isZero();
    assertThat(verified.out())
        .isEqualTo(
            "valid\nscheme: standard\nkey: #0\nid: msg_reference\n"
                + "timestamp: 2024-05-01T12:00:00Z (" + TS + ")\n");
  }

  @Test
  void theReferenceLibraryAcceptsWhatSignPrints() throws Exception {
    String secret = Secrets.newStandardSecret();
    Cli.Result signed = cli.runWithInput(BODY, "sign", "--scheme", "standard", "--secret", secret);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    signed.out().lines().forEach(line -> {
      int colon = line.indexOf(": ");
      headers.put(line.substring(0, colon), List.of(line.substring(colon + 2)));
    });
    assertThat(headers).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(headers.get("webhook-id").get(0)).matches("msg_[0-9A-Z]{26}");

    new Webhook(secret).verify(BODY, headers); // throws if the signature is wrong
  }

  @Test
  void aSignatureOutsideTheToleranceIsRefusedAndTheToleranceCanBeWidened() {
    TestKeys keys = TestKeys.forScheme("standard");
    Cli.Result signed =
        cli.runWithInput(BODY, args("sign", keys.signOptions(), "--timestamp", "2024-05-01T12:00:00Z"));
    List<String> verify = new ArrayList<>(keys.verifyOptions());
    verify.addAll(headerOptions(signed.out()));

    Cli.Result late = cli.runWithInput(BODY, args("verify", verify, "--now", "2024-05-01T12:10:00Z"));
    assertThat(late.exit()).isEqualTo(1);
    assertThat(late.out()).startsWith("invalid: TIMESTAMP_TOO_OLD: ");

    Cli.Result early = cli.runWithInput(BODY, args("verify", verify, "--now", "2024-05-01T11:50:00Z"));
    assertThat(early.exit()).isEqualTo(1);
    assertThat(early.out()).startsWith("invalid: TIMESTAMP_TOO_NEW: ");

    for (String tolerance : List.of("15m", "900s", "PT15M", "1h")) {
      Cli.Result wide =
          cli.runWithInput(
              BODY,
              args("verify", verify, "--now", "2024-05-01T12:10:00Z", "--tolerance", tolerance));
      assertThat(wide.exit()).as(tolerance).isZero();
    }
    Cli.Result narrow =
        cli.runWithInput(
            BODY, args("verify", verify, "--now", "2024-05-01T12:00:31Z", "--tolerance", "30s"));
    assertThat(narrow.out()).startsWith("invalid: TIMESTAMP_TOO_OLD");
  }

  @Test
  void verifyAcceptsAnyOfSeveralKeysAndSaysWhichMatched() {
    String oldKey = Secrets.newStandardSecret();
    String newKey = Secrets.newStandardSecret();
    Cli.Result signed = cli.runWithInput(BODY, "sign", "--scheme", "standard", "--secret", oldKey);

    Cli.Result verified =
        cli.runWithInput(
            BODY,
            args("verify", List.of("--scheme", "standard", "--secret", newKey, "--secret", oldKey),
                headerOptions(signed.out())));
    assertThat(verified.exit()).isZero();
    assertThat(verified.out()).contains("key: #1");

    Cli.Result withNewOnly =
        cli.runWithInput(
            BODY,
            args("verify", List.of("--scheme", "standard", "--secret", newKey),
                headerOptions(signed.out())));
    assertThat(withNewOnly.exit()).isEqualTo(1);
  }

  @Test
  void signWithSeveralKeysSignsWithEachSoEitherVerifies() {
    String oldKey = Secrets.newStandardSecret();
    String newKey = Secrets.newStandardSecret();
    Cli.Result signed =
        cli.runWithInput(
            BODY, "sign", "--scheme", "standard", "--secret", newKey, "--secret", oldKey);
    assertThat(signed.out()).containsPattern("webhook-signature: v1,\\S+ v1,\\S+\n");

    for (String key : List.of(oldKey, newKey)) {
      Cli.Result verified =
          cli.runWithInput(
              BODY,
              args("verify", List.of("--scheme", "standard", "--secret", key),
                  headerOptions(signed.out())));
      assertThat(verified.exit()).isZero();
    }
  }

  @Test
  void secretsComeFromTheEnvironmentAndAreNeverPrinted() {
    String secret = Secrets.newStandardSecret();
    Cli withEnv = cli.env(Map.of("HOOK_SECRET", secret));
    Cli.Result signed =
        withEnv.runWithInput(BODY, "sign", "--scheme", "standard", "--secret-env", "HOOK_SECRET");
    assertThat(signed.exit()).isZero();

    Cli.Result verified =
        withEnv.runWithInput(
            BODY,
            args("verify", List.of("--scheme", "standard", "--secret-env", "HOOK_SECRET"),
                headerOptions(signed.out())));
    assertThat(verified.exit()).isZero();
    Cli.Result tampered =
        withEnv.runWithInput(
            BODY + " ",
            args("verify", List.of("--scheme", "standard", "--secret-env", "HOOK_SECRET"),
                headerOptions(signed.out())));
    assertThat(tampered.exit()).isEqualTo(1);

    String secretBase64 = secret.substring("whsec_".length());
    for (Cli.Result result : List.of(signed, verified, tampered)) {
      assertThat(result.out() + result.err()).doesNotContain(secretBase64);
    }
  }

  @Test
  void verifyReadsHeadersFromAFile(@TempDir Path dir) throws Exception {
    TestKeys keys = TestKeys.forScheme("stripe");
    Cli.Result signed = cli.runWithInput(BODY, args("sign", keys.signOptions()));
    Path headers = dir.resolve("headers.txt");
    Files.writeString(headers, signed.out() + "\n");

    Cli.Result verified =
        cli.runWithInput(BODY, args("verify", keys.verifyOptions(), "-H", "@" + headers));
    assertThat(verified.exit()).as(verified.out()).isZero();
    assertThat(verified.out()).startsWith("valid\n");
  }

  @Test
  void aMissingHeaderIsReportedAsSuch() {
    TestKeys keys = TestKeys.forScheme("github");
    Cli.Result verified =
        cli.runWithInput(BODY, args("verify", keys.verifyOptions(), "-H", "X-Other: 1"));
    assertThat(verified.exit()).isEqualTo(1);
    assertThat(verified.out()).startsWith("invalid: MISSING_HEADER: ");
  }

  @Test
  void optionsTheSchemeDoesNotUseAreNotedOnErrorOutput() {
    TestKeys keys = TestKeys.forScheme("github");
    Cli.Result signed =
        cli.runWithInput(BODY, args("sign", keys.signOptions(), "--id", "msg_1", "--timestamp", "1"));
    assertThat(signed.exit()).isZero();
    assertThat(signed.out()).startsWith("X-Hub-Signature-256: sha256=").doesNotContain("msg_1");
    assertThat(signed.err())
        .contains("scheme github does not use --id", "scheme github does not use --timestamp");
  }

  @Test
  void theBodyIsSignedByteForByte() {
    TestKeys keys = TestKeys.forScheme("shopify");
    byte[] latin1 = {'{', '"', 'n', '"', ':', '"', (byte) 0xE9, '"', '}'}; // not UTF-8
    Cli.Result signed = cli.runWithInput(latin1, args("sign", keys.signOptions()));
    Cli.Result verified =
        cli.runWithInput(latin1, args("verify", keys.verifyOptions(), headerOptions(signed.out())));
    assertThat(verified.exit()).isZero();
    Cli.Result reencoded =
        cli.runWithInput(
            new String(latin1, java.nio.charset.StandardCharsets.ISO_8859_1).getBytes(UTF_8),
            args("verify", keys.verifyOptions(), headerOptions(signed.out())));
    assertThat(reencoded.exit()).isEqualTo(1);
  }

  /** {@code -H 'Name: value'} for each line {@code sign} printed. */
  static List<String> headerOptions(String signOutput) {
    List<String> options = new ArrayList<>();
    signOutput.lines().forEach(line -> options.addAll(List.of("-H", line)));
    return options;
  }

  static String[] args(String command, List<String> options, String... more) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(options);
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }

  static String[] args(String command, List<String> options, List<String> more) {
    return args(command, options, more.toArray(new String[0]));
  }
}
