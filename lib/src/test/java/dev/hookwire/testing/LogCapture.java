package dev.hookwire.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The log lines a step writes. The tests log through slf4j-simple, which writes each line to
 * whatever {@code System.err} is at the time; this swaps it for the step. Not thread-safe: lines
 * that other threads log meanwhile are captured too.
 */
public final class LogCapture {
  private LogCapture() {}

  /**
   * Runs {@code step}, adding each line it logged to {@code lines}, then writes them on to the
   * real standard error so that the test's output keeps them.
   *
   * @return what the step returned
   */
  public static <T> T logging(List<String> lines, Supplier<T> step) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return step.get();
    } finally {
      System.setErr(original);
      String text = captured.toString(StandardCharsets.UTF_8);
      original.print(text);
      text.lines().forEach(lines::add);
    }
  }

  /** Runs {@code step} and returns the lines it logged. */
  public static List<String> lines(Runnable step) {
    List<String> lines = new java.util.ArrayList<>();
    logging(lines, () -> {
      step.run();
      return null;
    });
    return lines;
  }
}
