package dev.hookwire.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a command reads and writes: standard input and output, error output, the environment,
 * the clock and the stop signal. {@link Main#main} uses the process's own; tests pass theirs.
 */
final class Terminal {
  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Clock clock;
  final StopSignal stop;
  private final Function<String, String> environment;

  Terminal(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Function<String, String> environment,
      Clock clock,
      StopSignal stop) {
    this.in = Objects.requireNonNull(in, "in == null");
    this.out = Objects.requireNonNull(out, "out == null");
    this.err = Objects.requireNonNull(err, "err == null");
    this.environment = Objects.requireNonNull(environment, "environment == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.stop = Objects.requireNonNull(stop, "stop == null");
  }

  /** The process's own streams, environment, system clock, and a stop on Ctrl-C. */
  static Terminal system() {
    return new Terminal(
        System.in, System.out, System.err, System::getenv, Clock.systemUTC(), StopSignal.onCtrlC());
  }

  /** Given streams, an environment from a map, the system clock and a manual stop. */
  static Terminal of(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return new Terminal(in, out, err, env::get, Clock.systemUTC(), StopSignal.manual());
  }

  /** An environment variable, or null if it is not set. */
  String env(String name) {
    return environment.apply(name);
  }

  /** Reads standard input to its end. */
  byte[] readInput() throws IOException {
    return in.readAllBytes();
  }
}
