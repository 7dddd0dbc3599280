package dev.hookwire.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** For the tests' dynamic proxies: passes a call on to the object behind the proxy. Stateless. */
public final class Forwarding {
  private Forwarding() {}

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
