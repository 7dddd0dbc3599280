package dev.hookwire.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script from the test resources with the {@code node} on the PATH: one process per
 * call, one JSON document in on stdin, one out on stdout.
 *
 * <p>Without Node.js (16 or newer) the calling tests are skipped, with a message saying to
 * install it; where the environment says {@code CI=true}, they fail instead, so that a build
 * server never passes by skipping them.
 */
final class Node {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.");
  private static final int MIN_MAJOR = 16;
  private static final long TIMEOUT_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path script;
  private final Path stderr;

  private Node(Path script, Path stderr) {
    this.script = script;
    this.stderr = stderr;
  }

  /**
   * Finds node and copies the script out of the test resources into {@code dir}; skips the
   * tests (or, in CI, fails them) if node is missing or too old.
   */
  static Node withScript(String resource, Path dir) throws IOException {
    String version = version();
    Matcher m = VERSION.matcher(version == null ? "" : version);
    String problem =
        version == null
            ? "Node.js was not found on the PATH (`node --version` failed)"
            : !m.lookingAt() || Integer.parseInt(m.group(1)) < MIN_MAJOR
                ? "Node.js " + version + " is older than " + MIN_MAJOR
                : null;
    if (problem != null) {
      String message = problem + "; install Node.js " + MIN_MAJOR + " or newer to run the interop tests";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + " (CI=true, so they may not be skipped)");
      }
      Assumptions.abort(message);
    }
    Path script = dir.resolve(Path.of(resource).getFileName().toString());
    try (InputStream in = Node.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + resource + " is missing");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return new Node(script, dir.resolve("node-stderr.txt"));
  }

  /** {@code node --version}, or null if node cannot be run. */
  private static String version() {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Runs the script once with {@code input} on stdin and answers what it wrote to stdout. */
  JsonNode run(JsonNode input) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of("node", script.toString()))
            .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
    // The script reads all of stdin before it writes anything, so writing first cannot block.
    try (OutputStream in = process.getOutputStream()) {
      JSON.writeValue(in, input);
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      Assertions.fail("node did not finish within " + TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      Assertions.fail("node exited with " + process.exitValue() + ": " + Files.readString(stderr));
    }
    return JSON.readTree(out);
  }
}
