package dev.hookwire.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small pooling {@link DataSource} over {@link DriverManager}, for tests: it keeps idle
 * connections for reuse (a new PostgreSQL connection costs milliseconds, thousands of times per
 * suite), resets them as a real pool does when they come back, counts the connections lent and
 * not yet closed (so tests can show the store closes every one), and can be closed to make every
 * later {@link #getConnection()} fail.
 *
 * <p>Thread-safe.
 */
public final class TestDataSource implements DataSource {
  private final String url;
  private final Properties properties;
  private final String shutdownStatement;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final AtomicInteger lent = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private boolean closed;

  /**
   * Creates a data source.
   *
   * @param url the JDBC URL
   * @param properties connection properties (user, timeouts), copied
   * @param shutdownStatement run once on {@link #close()} before the connections close (H2's
   *     {@code SHUTDOWN}), or null
   */
  public TestDataSource(String url, Properties properties, String shutdownStatement) {
    this.url = Objects.requireNonNull(url, "url == null");
    this.properties = new Properties();
    this.properties.putAll(properties);
    this.shutdownStatement = shutdownStatement;
  }

  /**
   * Returns the JDBC URL.
   *
   * @return the URL
   */
  public String url() {
    return url;
  }

  /**
   * Returns how many connections are lent and not yet closed.
   *
   * @return the count
   */
  public int lent() {
    return lent.get();
  }

  /**
   * Returns how many physical connections were opened.
   *
   * @return the count
   */
  public int opened() {
    return opened.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical;
    synchronized (this) {
      if (closed) {
        throw new SQLException("test data source is closed", "08003");
      }
      physical = idle.pollFirst();
    }
    if (physical == null || physical.isClosed()) {
      physical = DriverManager.getConnection(url, properties);
      opened.incrementAndGet();
    }
    lent.incrementAndGet();
    return (Connection)
        Proxy.newProxyInstance(
            TestDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Lent(physical));
  }

  /** Returns a connection to the pool when it is closed, reset as a pool would. */
  private void giveBack(Connection physical) {
    boolean keep;
    try {
      keep = !physical.isClosed();
      if (keep && !physical.getAutoCommit()) {
        physical.rollback();
        physical.setAutoCommit(true);
      }
    } catch (SQLException e) {
      keep = false;
    }
    synchronized (this) {
      if (keep && !closed) {
        idle.addFirst(physical);
        return;
      }
    }
    closeQuietly(physical);
  }

  /**
   * Closes the idle connections and makes every later {@link #getConnection()} fail; runs the
   * shutdown statement first, if any.
   */
  public void close() {
    Deque<Connection> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    if (shutdownStatement != null) {
      try (Connection c = DriverManager.getConnection(url, properties);
          Statement s = c.createStatement()) {
        s.execute(shutdownStatement);
      } catch (SQLException e) {
        // Already gone.
      }
    }
    toClose.forEach(TestDataSource::closeQuietly);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing to do for a test.
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials are in the URL");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }

  @Override
  public String toString() {
    return "TestDataSource[" + url + "]";
  }

  /** A lent connection: forwards everything, and goes back to the pool on close. */
  private final class Lent implements InvocationHandler {
    private final Connection physical;
    private boolean returned;

    Lent(Connection physical) {
      this.physical = physical;
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args)
        throws Throwable {
      switch (method.getName()) {
        case "close":
          if (!returned) {
            returned = true;
            lent.decrementAndGet();
            giveBack(physical);
          }
          return null;
        case "isClosed":
          return returned || physical.isClosed();
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "Lent[" + physical + "]";
        default:
          if (returned) {
            throw new SQLException("connection was closed", "08003");
          }
          return Forwarding.call(physical, method, args);
      }
    }
  }
}
