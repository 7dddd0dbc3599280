package dev.hookwire.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output stream that keeps everything written to it and hands over each complete line as it
 * arrives, so that a test can wait for a line from a command running on another thread.
 */
final class Capture extends OutputStream {
  private final ByteArrayOutputStream all = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final PrintStream stream = new PrintStream(this, true, UTF_8);

  @Override
  public synchronized void write(int b) {
    all.write(b);
    if (b == '\n') {
      lines.add(line.toString(UTF_8));
      line.reset();
    } else {
      line.write(b);
    }
  }

  /** Everything written so far. */
  synchronized String text() {
    return all.toString(UTF_8);
  }

  /** Waits for the next complete line, failing the test if none comes within {@code timeout}. */
  String nextLine(Duration timeout) throws InterruptedException {
    String next = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("no line within " + timeout + "; so far:\n" + text());
    }
    return next;
  }
}
