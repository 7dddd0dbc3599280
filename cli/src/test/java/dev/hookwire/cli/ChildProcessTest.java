package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.signature.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code hookwire} as a real child process, {@code java -cp <test class path>
 * dev.hookwire.cli.Main}: standard input piped in, the exit status from {@code System.exit}.
 */
class ChildProcessTest {
  private static final String BODY = "{\"id\":\"msg_1\",\"type\":\"order.paid\"}";

  @Test
  void signThenVerifyInSeparateProcesses(@TempDir Path dir) throws Exception {
    String secret = Secrets.newStandardSecret();

    ChildProcess signed = hookwire(secret, BODY, "sign", "--scheme", "standard", "--secret-env", "HOOK_KEY");
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("webhook-signature: v1,");
    Path headers = Files.writeString(dir.resolve("headers.txt"), signed.out());

    ChildProcess valid =
        hookwire(secret, BODY, "verify", "--scheme", "standard", "--secret-env", "HOOK_KEY",
            "-H", "@" + headers);
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).startsWith("valid\n");

    ChildProcess tampered =
        hookwire(secret, BODY + "\n", "verify", "--scheme", "standard", "--secret-env",
            "HOOK_KEY", "-H", "@" + headers);
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.out()).startsWith("invalid: NO_MATCHING_SIGNATURE: ");

    ChildProcess usage =
        hookwire(secret, "", "verify", "--scheme", "standard", "--secret-env", "HOOK_KEY",
            "-H", "@" + headers, "--tolerance", "soon");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--tolerance: \"soon\" is not a duration");

    for (ChildProcess run : List.of(signed, valid, tampered, usage)) {
      assertThat(run.out() + run.err()).doesNotContain(secret.substring(6));
    }
  }

  @Test
  void verifyAcceptsAShortKey_andWarnsOnErrorOutput(@TempDir Path dir) throws Exception {
    // Some senders use keys this short. printf '%s' "$BODY" | openssl dgst -sha256 -hmac x
    Path headers =
        Files.writeString(
            dir.resolve("headers.txt"),
            "X-Hub-Signature-256: sha256=df0d3ad1e2c5cfee7554bee1f575b8e1c1424a08c02da21c7caa83c44c690a2d\n");

    ChildProcess valid =
        hookwire("x", BODY, "verify", "--scheme", "github", "--secret-env", "HOOK_KEY", "-H", "@" + headers);

    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).startsWith("valid\n");
    assertThat(valid.err().lines().filter(line -> line.contains("verifier accepts")))
        .singleElement()
        .asString()
        .contains("github verifier accepts key #0 (1 byte)");
  }

  private static ChildProcess hookwire(String secret, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String hosts = System.getProperty("jdk.net.hosts.file");
    if (hosts != null) {
      command.add("-Djdk.net.hosts.file=" + hosts); // names resolve as in this JVM: never by DNS
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HOOK_KEY", secret);
    return ChildProcess.run(builder, stdin);
  }
}
