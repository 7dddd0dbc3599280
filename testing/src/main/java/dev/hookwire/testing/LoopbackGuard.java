package dev.hookwire.testing;

/**
 * The security manager that {@link LoopbackOnly} relies on: it grants every permission and
 * refuses only connections beyond loopback, recording them for the test that made them. The
 * build installs it when a test JVM starts ({@code
 * -Djava.security.manager=dev.hookwire.testing.LoopbackGuard}, Java 17 to 23), or {@link
 * LoopbackOnly} does before the first test. Thread-safe.
 */
@SuppressWarnings("removal") // the connection hook of Java 17; absent from later JDKs
public final class LoopbackGuard extends SecurityManager {
  private final ThreadLocal<Boolean> checking = ThreadLocal.withInitial(() -> false);

  /** Makes the guard; the JVM calls this when it is named on the command line. */
  public LoopbackGuard() {}

  @Override
  public void checkPermission(java.security.Permission perm) {}

  @Override
  public void checkPermission(java.security.Permission perm, Object context) {}

  @Override
  public void checkConnect(String host, int port) {
    check(host, port);
  }

  @Override
  public void checkConnect(String host, int port, Object context) {
    check(host, port);
  }

  private void check(String host, int port) {
    // port -1 is a name lookup, kept local by the hosts file; looking a name up here calls
    // back with -1, which the flag also lets through.
    if (port == -1 || checking.get()) {
      return;
    }
    checking.set(true);
    try {
      if (!LoopbackOnly.isLoopback(host)) {
        String what = host + ":" + port;
        LoopbackOnly.refused(what);
        throw new SecurityException("tests may connect to loopback only, not " + what);
      }
    } finally {
      checking.set(false);
    }
  }
}
