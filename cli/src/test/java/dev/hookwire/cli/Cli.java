package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Map;

/** Runs {@link Main} in-process, with standard input, environment and clock of a test's choosing. */
final class Cli {
  private final Map<String, String> env;
  private final Clock clock;

  private Cli(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  /** No environment, the system clock. */
  static Cli create() {
    return new Cli(Map.of(), Clock.systemUTC());
  }

  Cli env(Map<String, String> env) {
    return new Cli(env, clock);
  }

  Cli clock(Clock clock) {
    return new Cli(env, clock);
  }

  /** Runs a command line with an empty standard input. */
  Result run(String... args) {
    return runWithInput(new byte[0], args);
  }

  /** Runs a command line with the given standard input. */
  Result runWithInput(String stdin, String... args) {
    return runWithInput(stdin.getBytes(UTF_8), args);
  }

  /** Runs a command line with the given standard input. */
  Result runWithInput(byte[] stdin, String... args) {
    Capture out = new Capture();
    Capture err = new Capture();
    int exit = Main.run(args, terminal(stdin, out, err, StopSignal.manual()));
    return new Result(exit, out.text(), err.text());
  }

  /** A terminal for a command a test runs itself, on another thread, and stops. */
  Terminal terminal(byte[] stdin, Capture out, Capture err, StopSignal stop) {
    return new Terminal(
        new ByteArrayInputStream(stdin), out.stream, err.stream, env::get, clock, stop);
  }

  /**
   * What a command did.
   *
   * @param exit the exit status
   * @param out standard output
   * @param err error output
   */
  record Result(int exit, String out, String err) {}
}
