package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process to its end: standard input written and closed, both outputs read while it
 * runs, at most 60 seconds.
 *
 * @param exit its exit status
 * @param out its standard output
 * @param err its error output
 */
record ChildProcess(int exit, String out, String err) {

  static ChildProcess run(ProcessBuilder builder, String stdin) throws Exception {
    Process process = builder.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(UTF_8));
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", builder.command()) + " did not end in 60 s");
    }
    return new ChildProcess(process.exitValue(), out.get(), err.get());
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
}
