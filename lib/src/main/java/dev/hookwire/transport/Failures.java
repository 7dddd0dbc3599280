package dev.hookwire.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps what HTTP clients throw to the failures {@link Transport} documents. */
final class Failures {
  private Failures() {}

  /** The failure for a request whose timeout ran out; {@code cause} is what the client threw. */
  static SocketTimeoutException timeout(Duration timeout, Throwable cause) {
    SocketTimeoutException e =
        new SocketTimeoutException("request timed out after " + timeout.toMillis() + " ms");
    e.initCause(cause);
    return e;
  }

  /** Unwraps the wrappers futures add. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Finds a refusal by the network policy among the causes: a DNS hook can only throw {@link
   * java.net.UnknownHostException}, so the refusal travels as its cause.
   */
  static DestinationRefusedException findRefusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DestinationRefusedException) {
        return (DestinationRefusedException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** Wraps a non-I/O failure so the future fails with an {@link IOException} as documented. */
  static IOException asIoException(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof IOException) {
      return (IOException) t;
    }
    return new IOException("request failed: " + t, t);
  }
}
