package dev.hookwire.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Dynamic proxies for tests that watch or bend what the code under test does with JDBC objects:
 * each call goes to a handler, which passes it on with {@link #call} or does something else.
 * Stateless; the proxies are as thread-safe as their handlers.
 */
public final class Forwarding {
  private Forwarding() {}

  /** What a proxy does with a call. */
  @FunctionalInterface
  public interface Handler<T> {
    /**
     * Handles a call made on the proxy.
     *
     * @param target the object behind the proxy
     * @param method the method called
     * @param args its arguments, or null for none
     * @return what the call returns
     * @throws Throwable what the call throws
     */
    Object handle(T target, Method method, Object[] args) throws Throwable;
  }

  /** Wraps each connection a data source hands out. */
  @FunctionalInterface
  public interface ConnectionWrap {
    /**
     * Wraps a connection just borrowed.
     *
     * @param connection the data source's connection
     * @return what the borrower gets instead
     * @throws SQLException if the connection cannot be prepared
     */
    Connection wrap(Connection connection) throws SQLException;
  }

  /**
   * Returns a proxy of {@code type} whose every call, {@code Object}'s methods included, goes to
   * {@code handler} with {@code target}.
   *
   * @param type the interface to proxy
   * @param target the object behind the proxy
   * @param handler what each call does
   * @param <T> the interface
   * @return the proxy
   */
  public static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> handler.handle(target, method, args)));
  }

  /**
   * Returns a data source that passes every call on to {@code target}, and hands out each of its
   * connections through {@code wrap}.
   *
   * @param target the data source behind
   * @param wrap what each borrowed connection becomes
   * @return the data source
   */
  public static DataSource connections(DataSource target, ConnectionWrap wrap) {
    return proxy(DataSource.class, target, (t, method, args) -> {
      Object result = call(t, method, args);
      return result instanceof Connection c ? wrap.wrap(c) : result;
    });
  }

  /**
   * Calls {@code method} on {@code target}, throwing what the method threw rather than the
   * reflection wrapper around it.
   *
   * @param target the object behind the proxy
   * @param method the method called on the proxy
   * @param args its arguments, or null for none
   * @return what the method returned
   * @throws Throwable what the method threw
   */
  public static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
