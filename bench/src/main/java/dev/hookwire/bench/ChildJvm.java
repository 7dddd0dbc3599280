package dev.hookwire.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this jar in a JVM of its own, on this JVM's class path. The child prints one
 * line when it is ready (a port, say); the rest of its standard output is drained, its standard
 * error goes to ours. It ends when its standard input closes ({@link #stop}), or is killed
 * ({@link #kill}); {@link #close} makes sure it is gone.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final String readyLine;

  private ChildJvm(Process process, String readyLine) {
    this.process = process;
    this.readyLine = readyLine;
  }

  /**
   * Starts {@code main} with JVM options and arguments, and waits for its first line, which must
   * start with {@code ready}.
   */
  static ChildJvm start(List<String> jvmOptions, Class<?> main, List<String> args, String ready)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith(ready)) {
      p.destroyForcibly();
      throw new IOException(main.getSimpleName() + " did not start: " + line);
    }
    // Drain the rest so the child never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // child gone
      }
    }, main.getSimpleName() + "-stdout");
    drain.setDaemon(true);
    drain.start();
    return new ChildJvm(p, line);
  }

  /** The line the child printed when ready. */
  String readyLine() {
    return readyLine;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** CPU time the child has used so far, in nanoseconds; -1 if unknown. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Kills the child with SIGKILL and waits until it is gone; returns its exit code. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child " + process.pid() + " still runs after SIGKILL");
    }
    return process.exitValue();
  }

  /**
   * Closes the child's standard input and waits for it to end, killing it after {@code wait};
   * returns its exit code.
   */
  int stop(Duration wait) throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return kill();
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
