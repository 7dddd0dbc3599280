package dev.hookwire.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test must close whatever happens (child processes, servers, tables): closed in reverse
 * order of adding, each even if one before it fails; the first failure is thrown. Registered as
 * an extension ({@code @RegisterExtension final CleanUp cleanUp = new CleanUp();}), it closes
 * after each test.
 *
 * <p>Not thread-safe.
 */
public final class CleanUp implements AutoCloseable, AfterEachCallback {
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

  /**
   * Adds something to close.
   *
   * @param closeable it
   * @param <T> its type
   * @return it
   */
  public <T extends AutoCloseable> T add(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /**
   * Closes everything added, newest first.
   *
   * @throws RuntimeException the first failure, the later ones suppressed in it; a checked one
   *     wrapped in an {@link IllegalStateException}
   */
  @Override
  public void close() {
    Exception first = null;
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof RuntimeException) {
      throw (RuntimeException) first;
    }
    if (first != null) {
      throw new IllegalStateException("clean-up failed: " + first.getMessage(), first);
    }
  }
}
