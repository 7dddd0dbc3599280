package dev.hookwire.bench;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A profiler for the durable runs: wraps a data source and times, per calling thread's role
 * (the dispatcher's scheduler thread or a sender) and per statement (its SQL with the table
 * prefix and parameter lists folded), every statement execution, and every other connection call
 * (commit, auto-commit switches, close), and borrowing connections. That is where the store's
 * time goes, as the client sees it: round trips, server work and waiting for the disk at commit.
 */
final class TimedDataSource {
  private static final String DISPATCHER_THREAD = "hookwire-dispatcher";

  private final String prefix;
  private final Map<String, LongAdder[]> stats = new ConcurrentHashMap<>();

  TimedDataSource(String prefix) {
    this.prefix = prefix;
  }

  DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target, (method, args) -> {
      if (method.getName().equals("getConnection")) {
        long t0 = System.nanoTime();
        Connection c = (Connection) method.invoke(target, args);
        record("pool: borrow connection", t0);
        return proxy(Connection.class, c, connectionCalls(c));
      }
      return method.invoke(target, args);
    });
  }

  void reset() {
    stats.clear();
  }

  /** Prints the calls, most time first, with the dispatcher thread's share of the wall time. */
  void print(PrintStream out, double wallSeconds, int deliveries) {
    List<Map.Entry<String, LongAdder[]>> rows = new ArrayList<>(stats.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue()[1].sum(), a.getValue()[1].sum()));
    out.println("  thread      calls   per-delivery  total-ms  share-of-wall  mean-us  call");
    for (Map.Entry<String, LongAdder[]> row : rows) {
      long calls = row.getValue()[0].sum();
      long nanos = row.getValue()[1].sum();
      String[] key = row.getKey().split("\t", 2);
      out.println(Bench.f("  %-10s %6d  %12.2f  %8.0f  %12.1f%%  %7.1f  %s", key[0], calls,
          calls / (double) deliveries, nanos / 1e6, 100 * nanos / 1e9 / wallSeconds,
          nanos / 1e3 / calls, key[1]));
    }
  }

  private InvocationHandlerBody connectionCalls(Connection c) {
    return (method, args) -> {
      String name = method.getName();
      if (name.equals("prepareStatement") && args != null && args[0] instanceof String) {
        PreparedStatement ps = (PreparedStatement) method.invoke(c, args);
        String sql = fold((String) args[0]);
        return proxy(PreparedStatement.class, ps, (m, a) -> {
          if (!m.getName().startsWith("execute")) {
            return m.invoke(ps, a);
          }
          long t0 = System.nanoTime();
          Object result = m.invoke(ps, a);
          record(m.getName() + " " + sql, t0);
          return result;
        });
      }
      if (name.equals("createStatement") || name.equals("createArrayOf") || name.startsWith("get")
          || name.equals("isClosed") || name.equals("unwrap") || name.equals("isWrapperFor")) {
        return method.invoke(c, args);
      }
      long t0 = System.nanoTime();
      Object result = method.invoke(c, args);
      record("connection." + name + (args != null && args.length == 1 ? "(" + args[0] + ")" : "()"), t0);
      return result;
    };
  }

  private String fold(String sql) {
    String s = sql.replace(prefix, "").replaceAll("\\?(, \\?)+", "?...").replaceAll("\\s+", " ");
    return s.length() > 90 ? s.substring(0, 90) + "..." : s;
  }

  private void record(String call, long t0) {
    long nanos = System.nanoTime() - t0;
    String role = Thread.currentThread().getName().startsWith(DISPATCHER_THREAD) ? "dispatcher" : "sender";
    LongAdder[] s = stats.computeIfAbsent(role + "\t" + call, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    s[0].increment();
    s[1].add(nanos);
  }

  @FunctionalInterface
  private interface InvocationHandlerBody {
    Object call(Method method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object target, InvocationHandlerBody body) {
    InvocationHandler handler = (p, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(target, args);
      }
      try {
        return body.call(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (T) Proxy.newProxyInstance(TimedDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
