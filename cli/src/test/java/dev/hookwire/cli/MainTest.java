package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  private final Cli cli = Cli.create();

  @Test
  void withoutArgumentsPrintsTheCommands() {
    Capture out = new Capture();
    Capture err = new Capture();
    int exit = Main.run(new String[0], new ByteArrayInputStream(new byte[0]), out.stream, err.stream);

    assertThat(exit).isZero();
    assertThat(out.text())
        .startsWith("usage: hookwire <command> [options]")
        .contains(
            "  keygen ", "  sign ", "  verify ", "  listen ", "  send ", "  schemes ", "  version ");
    assertThat(err.text()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sign", "verify", "listen", "send"})
  void everyCommandHasHelp(String command) {
    Cli.Result help = cli.run(command, "--help");
    Cli.Result viaHelp = cli.run("help", command);

    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("usage: hookwire " + command + " --");
    assertThat(help.out()).contains("--scheme S", "--secret K", "--secret-env NAME", "-h, --help");
    assertThat(viaHelp.out()).isEqualTo(help.out());
  }

  @Test
  void helpAnswersUnlessAnEarlierOptionIsWrong() {
    Cli.Result help = cli.run("verify", "--help", "--bogus");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--now T");

    Cli.Result bogusFirst = cli.run("verify", "--bogus", "--help");
    assertThat(bogusFirst.exit()).isEqualTo(2);
    assertThat(bogusFirst.err()).contains("unknown option --bogus");
  }

  @Test
  void schemesListsEverySchemeWithItsHeaders() {
    Cli.Result schemes = cli.run("schemes");

    assertThat(schemes.exit()).isZero();
    assertThat(schemes.out().lines().filter(l -> !l.startsWith(" ")).map(l -> l.split(" ")[0]))
        .containsExactly(
            "standard", "standard-ed25519", "intelligems", "insightarc", "github", "shopify",
            "stripe");
    assertThat(schemes.out()).contains("X-Hub-Signature-256", "Stripe-Signature", "whpk_");
  }

  @Test
  void versionSaysItIsADevelopmentBuildOutsideTheJar() {
    Cli.Result version = cli.run("version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).isEqualTo("hookwire (development build)\n");
  }

  @Test
  void anUnknownCommandExitsWith2AndListsTheCommands() {
    Cli.Result result = cli.run("frobnicate");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("hookwire: unknown command \"frobnicate\"\n").contains("  send ");
  }
}
