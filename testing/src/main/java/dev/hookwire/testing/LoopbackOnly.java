package dev.hookwire.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that fails any test whose code opens a connection to an address beyond
 * loopback: tests of webhooks must never send a packet off the machine. Together with a hosts
 * file for the test JVM ({@code -Djdk.net.hosts.file=...}, which keeps name lookups off the
 * network), it makes "loopback only" a checked rule rather than a habit.
 *
 * <p>Register it for every test with JUnit's extension auto-detection ({@code
 * junit.jupiter.extensions.autodetection.enabled=true} and a {@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension} file naming this class), or on a
 * class with {@code @ExtendWith(LoopbackOnly.class)}.
 *
 * <p>It works through the JDK's security manager hook for connections, the one place every
 * socket, socket channel and HTTP client passes (Java 17 to 23; on a JDK without a security
 * manager it does nothing): {@link LoopbackGuard}, installed when the test JVM starts if the
 * build says so ({@code -Djava.security.manager=dev.hookwire.testing.LoopbackGuard}, which the
 * JDK acknowledges with one line), else here, which the JDK acknowledges with four. A connection beyond loopback is refused with a {@link
 * SecurityException} where it is made, and, in case the code under test swallowed that, the test
 * fails after it runs. Only connections are watched; every other permission is granted.
 *
 * <p>Thread-safe; one guard serves the whole JVM.
 */
public final class LoopbackOnly implements BeforeAllCallback, AfterEachCallback {
  private static final List<String> violations = new ArrayList<>();
  private static volatile boolean installed;

  /** Makes the extension; JUnit calls this. */
  public LoopbackOnly() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> found = takeViolations();
    if (!found.isEmpty()) {
      throw new AssertionError("connections beyond loopback were attempted: " + found);
    }
  }

  /** The connections refused since the last call, as {@code host:port}; clears them. */
  static List<String> takeViolations() {
    synchronized (violations) {
      List<String> found = new ArrayList<>(violations);
      violations.clear();
      return found;
    }
  }

  @SuppressWarnings("removal") // the connection hook of Java 17; absent from later JDKs
  private static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    if (System.getSecurityManager() instanceof LoopbackGuard) {
      return; // installed when the JVM started (-Djava.security.manager=...LoopbackGuard)
    }
    try {
      System.setSecurityManager(new LoopbackGuard());
    } catch (UnsupportedOperationException e) {
      // JDK 24 and later have no security manager: the hosts file is the remaining guard.
    }
  }

  /** Whether a connection to {@code host} stays on this machine. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(h)) {
        if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return true; // nothing to connect to: the lookup itself stayed local (hosts file)
    }
  }

  /** Records a refused connection for the test that made it. */
  static void refused(String what) {
    synchronized (violations) {
      violations.add(what);
    }
  }
}
