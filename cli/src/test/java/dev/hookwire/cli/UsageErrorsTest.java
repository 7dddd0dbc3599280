package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad command line exits with status 2 and says on error output what is wrong. */
class UsageErrorsTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String H = "webhook-id: msg_1";

  static Stream<Arguments> badCommandLines() {
    return Stream.of(
        bad("unknown command \"sgin\"", "sgin"),
        bad("unknown command \"nope\"", "help", "nope"),
        bad("unknown option --sceme", "sign", "--sceme", "standard", "--secret", SECRET),
        bad("unknown option --secret-file", "sign", "--scheme", "standard", "--secret-file=x"),
        bad("--scheme needs a value", "sign", "--secret", SECRET, "--scheme"),
        bad("--scheme needs a value", "sign", "--scheme", "--secret", SECRET),
        bad("--scheme is given more than once",
            "sign", "--scheme", "standard", "--scheme", "github", "--secret", SECRET),
        bad("unexpected argument at position 3", "sign", "--scheme", "standard", SECRET),
        bad("missing --scheme", "sign", "--secret", SECRET),
        bad("unknown scheme \"hmac\"; known schemes: standard, standard-ed25519",
            "sign", "--scheme", "hmac", "--secret", SECRET),
        bad("missing key: give --secret K or --secret-env NAME", "sign", "--scheme", "standard"),
        bad("environment variable HOOK_SECRET is not set",
            "sign", "--scheme", "standard", "--secret-env", "HOOK_SECRET"),
        bad("bad secret for scheme standard", "sign", "--scheme", "standard", "--secret", "not base64!"),
        bad("signers take whsk_ keys",
            "sign", "--scheme", "standard-ed25519", "--secret", "whpk_" + "A".repeat(43) + "="),
        bad("verifiers whpk_ keys",
            "verify", "--scheme", "standard-ed25519", "--secret", "whsk_" + "A".repeat(43) + "=",
            "-H", H),
        bad("bad secret for scheme github (the secret's text; keys count from #0 in the order"
                + " given): key #0 is 1 byte long, but a signing key needs at least 16 bytes",
            "sign", "--scheme", "github", "--secret", "x"),
        bad("bad secret for scheme standard", "sign", "--scheme", "standard", "--secret", "whsec_AA=="),
        bad("key #1 is 3 bytes long",
            "send", "--url", "https://example.com/", "--scheme", "stripe", "--secret", SECRET,
            "--secret", "abc", "--type", "a.b"),
        bad("scheme insightarc signs the endpoint URL: give it with --url",
            "sign", "--scheme", "insightarc", "--secret", "s"),
        bad("--timestamp: \"yesterday\" is not a time",
            "sign", "--scheme", "standard", "--secret", SECRET, "--timestamp", "yesterday"),
        bad("cannot sign with this --id",
            "sign", "--scheme", "standard", "--secret", SECRET, "--id", "msg 1"),
        bad("--now: \"soon\" is not a time",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", H, "--now", "soon"),
        bad("--tolerance: \"5x\" is not a duration",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", H, "--tolerance", "5x"),
        bad("a number needs a unit: 300s",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", H, "--tolerance", "300"),
        bad("--tolerance: \"-5m\" is not a duration",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", H, "--tolerance", "-5m"),
        bad("--tolerance must not be negative",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", H, "--tolerance", "PT-5M"),
        bad("--header needs 'Name: value'",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", "webhook-id msg_1"),
        bad("\"bad name\" is not a valid header name",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", "bad name: x"),
        bad("cannot read header file",
            "verify", "--scheme", "standard", "--secret", SECRET, "-H", "@/no/such/file"),
        bad("no headers: give the request's headers with -H",
            "verify", "--scheme", "standard", "--secret", SECRET),
        bad("--port must be from 0 to 65535, not 70000",
            "listen", "--scheme", "standard", "--secret", SECRET, "--port", "70000"),
        bad("--port: \"http\" is not a whole number",
            "listen", "--scheme", "standard", "--secret", SECRET, "--port", "http"),
        bad("--status-on-success must be from 200 to 599, not 100",
            "listen", "--scheme", "standard", "--secret", SECRET, "--status-on-success", "100"),
        bad("--host: cannot resolve",
            "listen", "--scheme", "standard", "--secret", SECRET, "--host", "no-such-host.invalid"),
        bad("missing --url", "send", "--scheme", "standard", "--secret", SECRET, "--type", "a.b"),
        bad("missing --type",
            "send", "--url", "https://example.com/", "--scheme", "standard", "--secret", SECRET),
        bad("--url: url \"ftp://example.com/\" is not an absolute http or https URL",
            "send", "--url", "ftp://example.com/", "--scheme", "standard", "--secret", SECRET,
            "--type", "a.b"),
        bad("--type: ",
            "send", "--url", "https://example.com/", "--scheme", "standard", "--secret", SECRET,
            "--type", "not a type"),
        badSend("--data is not valid JSON", "--data", "{\"a\":"),
        badSend("--data is not valid JSON", "--data", "{\"a\":1,\"a\":2}"),
        badSend("--data: cannot read", "--data", "@/no/such/file.json"),
        badSend("--basic needs USER:PASSWORD", "--basic", "justauser"),
        badSend("give --basic or --bearer, not both", "--basic", "u:p", "--bearer", "t"),
        badSend("--attempts must be from 1 to 100, not 0", "--attempts", "0"),
        badSend("--timeout: timeout must be positive and at most 5 minutes", "--timeout", "10m"),
        badSend("--retry-delay must be at most 1m", "--retry-delay", "2m"),
        badSend("--method: method must be POST, PUT or DELETE", "--method", "GET"),
        badSend("--allow-private takes no value", "--allow-private=yes"),
        bad("refusing to send to http://127.0.0.1:9/hooks?...: its host is a loopback, private,",
            "send", "--url", "http://127.0.0.1:9/hooks?token=abc", "--scheme", "standard",
            "--secret", SECRET, "--type", "a.b"),
        bad("add --allow-private",
            "send", "--url", "http://10.1.2.3/hooks", "--scheme", "standard", "--secret", SECRET,
            "--type", "a.b"));
  }

  @ParameterizedTest
  @MethodSource("badCommandLines")
  void exitsWith2AndSaysWhatIsWrong(String expected, String[] args) {
    Cli.Result result = Cli.create().run(args);

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains(expected);
    assertThat(result.err()).doesNotContain(SECRET.substring(6), "abc");
  }

  private static Arguments bad(String expected, String... args) {
    return Arguments.of(expected, args);
  }

  /** A send command line, good but for the options given. */
  private static Arguments badSend(String expected, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "send", "--url", "https://example.com/", "--scheme", "standard", "--secret", SECRET,
                "--type", "a.b"));
    args.addAll(List.of(more));
    return bad(expected, args.toArray(new String[0]));
  }
}
