package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.signature.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    Run signed = hookwire(secret, BODY, "sign", "--scheme", "standard", "--secret-env", "HOOK_KEY");
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("webhook-signature: v1,");
    Path headers = Files.writeString(dir.resolve("headers.txt"), signed.out());

    Run valid =
        hookwire(secret, BODY, "verify", "--scheme", "standard", "--secret-env", "HOOK_KEY",
            "-H", "@" + headers);
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).startsWith("valid\n");

    Run tampered =
        hookwire(secret, BODY + "\n", "verify", "--scheme", "standard", "--secret-env",
            "HOOK_KEY", "-H", "@" + headers);
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.out()).startsWith("invalid: NO_MATCHING_SIGNATURE: ");

    Run usage =
        hookwire(secret, "", "verify", "--scheme", "standard", "--secret-env", "HOOK_KEY",
            "-H", "@" + headers, "--tolerance", "soon");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--tolerance: \"soon\" is not a duration");

    for (Run run : List.of(signed, valid, tampered, usage)) {
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

    Run valid =
        hookwire("x", BODY, "verify", "--scheme", "github", "--secret-env", "HOOK_KEY", "-H", "@" + headers);

    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).startsWith("valid\n");
    assertThat(valid.err().lines().filter(line -> line.contains("verifier accepts")))
        .singleElement()
        .asString()
        .contains("github verifier accepts key #0 (1 byte)");
  }

  private static Run hookwire(String secret, String stdin, String... args) throws Exception {
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
    Process process = builder.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(UTF_8));
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("hookwire " + String.join(" ", args) + " did not end in 60 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * What a child process did.
   *
   * @param exit its exit status
   * @param out its standard output
   * @param err its error output
   */
  private record Run(int exit, String out, String err) {}
}
