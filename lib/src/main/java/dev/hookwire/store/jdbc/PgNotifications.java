package dev.hookwire.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-up across nodes on PostgreSQL with {@code LISTEN/NOTIFY}, through the PostgreSQL JDBC
 * driver (pgjdbc) reached by reflection: the library does not depend on it.
 *
 * <p><b>Sending.</b> Every enqueue runs {@code NOTIFY} on the channel in the enqueue's own
 * transaction, so the notification goes out when it commits and never if it rolls back. The
 * channel is named after the store's deliveries table ({@code hookwire_deliveries} by default),
 * which the validated table prefix makes a plain identifier. The payload is this store object's
 * random id for the store's own transactions, so that its listener can pass over what its
 * dispatcher enqueued (it woke itself), and empty for a host's transaction, which wakes every
 * node, this one included. PostgreSQL delivers one notification per committed transaction however
 * many enqueues it holds (identical notifications of one transaction are folded into one).
 *
 * <p><b>At most one every 20 ms.</b> PostgreSQL holds one lock per database from the commit of a
 * transaction that notifies until its WAL is flushed, so such commits take turns instead of
 * sharing a flush: notifying in every enqueue cut single-event enqueues from 8 threads to a
 * third. And every notification wakes every listening node, which then claims: with three
 * nodes on one machine, notifying every 5 ms cost the nodes about a quarter more CPU per delivery than
 * every 20 ms (BENCHMARKS.md, section 13). So the store's own enqueues notify in their
 * transaction at most once every 20 ms; one
 * that does not, once committed, asks for a trailing notification, sent in a transaction of its
 * own by a short-lived daemon thread when the 20 ms are up. Every enqueue is thus followed by a
 * notification that commits after it, at most about 20 ms later, and a busy store object sends
 * at most about 100 a second. An enqueue through the host's transaction always notifies in it.
 *
 * <p><b>Listening.</b> While at least one dispatcher is registered, a daemon thread holds one
 * connection of the data source, listens on the channel and waits for notifications in pgjdbc's
 * {@code PGConnection.getNotifications(int)}; each one not from this store's own enqueues calls
 * every registered wake-up. When the connection breaks it takes another after a back-off (0.1 s
 * doubling to 10 s) and wakes every dispatcher once listening again, since notifications sent
 * meanwhile are lost; dispatchers poll all the while. An idle connection is checked every 10 s,
 * so a connection that died without a word is noticed. If the data source's connections do not
 * unwrap to pgjdbc's {@code PGConnection} (another driver, a pool that hides it), it says so
 * once and stops: the nodes poll. With several dispatchers on one store object, every
 * notification wakes them all, as one cannot tell which of them enqueued.
 *
 * <p><b>Stopping.</b> When the last registration closes, the thread is sent a notification that
 * only it acts on; it stops listening ({@code UNLISTEN}) and gives its connection back to the
 * pool as it came. If that does not work within 2 s, its connection is aborted, which a pool
 * drops.
 *
 * <p>Thread-safe.
 */
final class PgNotifications {
  private static final Logger log = LoggerFactory.getLogger(JdbcDeliveryStore.class);

  private static final String PG_CONNECTION = "org.postgresql.PGConnection";
  private static final String PG_NOTIFICATION = "org.postgresql.PGNotification";
  /** How long one wait for notifications lasts before the idle connection is checked. */
  private static final int WAIT_MILLIS = 10_000;
  private static final int VALID_SECONDS = 5;
  private static final Duration BACKOFF_MIN = Duration.ofMillis(100);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
  private static final Duration JOIN = Duration.ofSeconds(5);
  /** How long a stop waits for the listening thread to act on its notification. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);
  /** The end of the payload that tells a listener to stop; every listener ignores it. */
  private static final String STOP = ":stop";
  /** The least time between two notifications in the store's own enqueues, by default. */
  static final Duration SPACING = Duration.ofMillis(20);

  private final DataSource dataSource;
  private final String channel;
  private final String source;
  private final String notifyOwn;
  private final String notifyHost;
  private final String notifyStop;
  private final List<Runnable> wakes = new CopyOnWriteArrayList<>();
  private final AtomicBoolean saidUnavailable = new AtomicBoolean();
  private final Object lock = new Object();
  private Listener listener; // guarded by lock
  private final long spacingNanos;
  /** When the last notification of the store's own enqueues was sent or decided on. */
  private final AtomicLong lastNotified;
  /** An enqueue that did not notify has committed since the trailing notification began. */
  private final AtomicBoolean trailingWanted = new AtomicBoolean();
  /** A trailing notification is scheduled and has not begun. */
  private final AtomicBoolean trailingScheduled = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor trailer;

  private PgNotifications(DataSource dataSource, String channel, Duration spacing) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.spacingNanos = spacing.toNanos();
    this.lastNotified = new AtomicLong(System.nanoTime() - spacingNanos);
    this.source = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    this.notifyOwn = "NOTIFY \"" + channel + "\", '" + source + "'";
    this.notifyHost = "NOTIFY \"" + channel + "\"";
    this.notifyStop = "NOTIFY \"" + channel + "\", '" + source + STOP + "'";
    this.trailer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hookwire-notify-" + channel);
      t.setDaemon(true);
      return t;
    });
    trailer.setKeepAliveTime(1, TimeUnit.SECONDS);
    trailer.allowCoreThreadTimeOut(true); // no thread while nothing is asked for
  }

  /**
   * Returns the notifications of a store, or empty where there are none: turned off, not
   * PostgreSQL, or a connection that does not unwrap to pgjdbc (said once, at INFO).
   */
  static Optional<PgNotifications> of(boolean wanted, JdbcDialect dialect, Connection probe,
      DataSource dataSource, String prefix, Duration spacing) {
    if (!wanted || dialect != JdbcDialect.POSTGRESQL) {
      return Optional.empty();
    }
    String channel = channel(prefix);
    Optional<String> missing = Api.find(probe).isPresent() ? Optional.empty() : Optional.of(
        probe.getClass().getName());
    if (missing.isPresent()) {
      log.info("no wake-up across nodes for {}: the data source's connections ({}) do not unwrap to"
          + " pgjdbc's {}; nodes find each other's work by polling", channel, missing.get(), PG_CONNECTION);
      return Optional.empty();
    }
    return Optional.of(new PgNotifications(dataSource, channel, spacing));
  }

  /** The channel of a table prefix: the name of its deliveries table. */
  static String channel(String prefix) {
    return Sql.checkPrefix(prefix) + "deliveries";
  }

  /** The channel. */
  String channel() {
    return channel;
  }

  /**
   * The statement that notifies for an enqueue in the store's own transaction; appended to the
   * single-statement enqueue, it runs in that statement's transaction.
   */
  String notifyOwn() {
    return notifyOwn;
  }

  /**
   * Whether an enqueue of the store's own notifies in its transaction: yes unless another did
   * less than 20 ms ago. One that does not must call {@link #committed(boolean)} once committed.
   */
  boolean notifyInline() {
    long now = System.nanoTime();
    long last = lastNotified.get();
    return now - last >= spacingNanos && lastNotified.compareAndSet(last, now);
  }

  /**
   * After an enqueue of the store's own has committed: if it did not notify, makes sure a
   * notification follows, when 20 ms have passed since the last one.
   */
  void committed(boolean notified) {
    if (notified) {
      return;
    }
    trailingWanted.set(true);
    if (trailingScheduled.compareAndSet(false, true)) {
      long delay = Math.max(0, lastNotified.get() + spacingNanos - System.nanoTime());
      trailer.schedule(this::trail, delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Sends the trailing notification, in a transaction of its own. */
  private void trail() {
    trailingScheduled.set(false); // from here on, an enqueue that commits asks for another
    if (!trailingWanted.getAndSet(false)) {
      return;
    }
    lastNotified.set(System.nanoTime());
    try (Connection c = dataSource.getConnection()) {
      AutoCommit.run(c, connection -> {
        own(connection);
        return null;
      });
    } catch (SQLException | RuntimeException e) {
      // Other nodes find the work when they next poll.
      log.debug("cannot notify on {}: {}", channel, e.getMessage(), e);
    }
  }

  /** Notifies, in the transaction the connection is in, for an enqueue by the store itself. */
  void own(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(notifyOwn);
    }
  }

  /** Notifies, in the host's transaction, for an enqueue through the host's connection. */
  void host(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(notifyHost);
    }
  }

  /** Registers a wake-up; the first starts the listening thread. */
  AutoCloseable register(Runnable wake) {
    Objects.requireNonNull(wake, "wake == null");
    Runnable mine = wake::run; // an object of its own, so that the same wake may register twice
    synchronized (lock) {
      wakes.add(mine);
      if (listener == null) {
        listener = new Listener();
        listener.thread.start();
      }
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        unregister(mine);
      }
    };
  }

  private void unregister(Runnable wake) {
    Listener stopping = null;
    synchronized (lock) {
      wakes.remove(wake);
      if (wakes.isEmpty() && listener != null) {
        stopping = listener;
        listener = null;
      }
    }
    if (stopping != null) {
      stopping.stop();
    }
  }

  /** Calls every registered wake-up; one that throws does not keep the others from theirs. */
  private void wakeAll() {
    for (Runnable wake : wakes) {
      try {
        wake.run();
      } catch (RuntimeException e) {
        log.warn("a wake-up for {} failed", channel, e);
      }
    }
  }

  /** The thread that listens, and the connection it holds while it does. */
  private final class Listener implements Runnable {
    final Thread thread;
    private volatile boolean stopped;
    private volatile Connection listening;

    Listener() {
      thread = new Thread(this, "hookwire-listen-" + channel);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      Duration backoff = Duration.ZERO;
      boolean failing = false;
      while (!stopped) {
        Connection c = null;
        try {
          c = dataSource.getConnection();
          Optional<Api> api = Api.find(c);
          if (api.isEmpty()) {
            if (saidUnavailable.compareAndSet(false, true)) {
              log.info("no wake-up across nodes for {}: the connection ({}) does not unwrap to"
                  + " pgjdbc's {}; this node polls", channel, c.getClass().getName(), PG_CONNECTION);
            }
            return;
          }
          Connection physical = api.get().listen(c, channel);
          listening = physical;
          if (stopped) {
            unlisten(api.get(), c, physical); // stop() may have missed the connection
            return;
          }
          if (failing) {
            log.info("listening on {} again", channel);
          } else {
            log.debug("listening on {}", channel);
          }
          failing = false;
          backoff = Duration.ZERO;
          wakeAll(); // what was sent before the LISTEN, or while the connection was down
          while (!stopped) {
            Object[] notifications = api.get().await(physical, WAIT_MILLIS);
            if (notifications.length == 0) {
              if (!stopped && !c.isValid(VALID_SECONDS)) {
                throw new SQLException("the listening connection is no longer valid");
              }
              continue;
            }
            boolean several = wakes.size() > 1;
            for (Object n : notifications) {
              String payload = api.get().payload(n);
              if (!payload.endsWith(STOP) && (several || !source.equals(payload))) {
                wakeAll();
              }
            }
          }
          unlisten(api.get(), c, physical);
        } catch (SQLException | RuntimeException e) {
          if (stopped) {
            return;
          }
          abortQuietly(c); // so that no pool lends it again
          backoff = backoff.isZero() ? BACKOFF_MIN : min(backoff.multipliedBy(2), BACKOFF_MAX);
          // The whole trace once per outage; after that one line per try, at DEBUG.
          if (!failing) {
            log.warn("stopped listening on {}; trying again in {} ms, polling meanwhile: {}",
                channel, backoff.toMillis(), e.getMessage(), e);
          } else {
            log.debug("cannot listen on {}; trying again in {} ms: {}", channel, backoff.toMillis(),
                e.getMessage());
          }
          failing = true;
        } finally {
          listening = null;
          closeQuietly(c);
        }
        pause(backoff);
      }
    }

    /**
     * Stops listening, so that the connection goes back to the pool as it came: a pooled
     * connection still listening would gather notifications nobody reads.
     */
    private void unlisten(Api api, Connection c, Connection physical) {
      try {
        try (Statement s = c.createStatement()) {
          s.execute("UNLISTEN \"" + channel + "\"");
        }
        api.drain(physical);
        log.debug("stopped listening on {}", channel);
      } catch (SQLException | RuntimeException e) {
        log.debug("cannot stop listening on {}; the connection is dropped", channel, e);
        abortQuietly(c);
      }
    }

    /** Waits out a back-off, or until stopped. */
    private void pause(Duration backoff) {
      long deadline = System.nanoTime() + backoff.toNanos();
      synchronized (this) {
        long left;
        while (!stopped && (left = deadline - System.nanoTime()) > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    /**
     * Stops the thread and waits for it to end. A thread waiting for notifications is sent one
     * that only it acts on (other nodes ignore it), from another connection of the data source,
     * so that it stops listening and gives its connection back to the pool as it came; if that
     * cannot be sent or does not arrive in time, the connection is aborted (the pool then drops
     * it), which ends the wait at once.
     */
    void stop() {
      stopped = true;
      synchronized (this) {
        notifyAll();
      }
      if (Thread.currentThread() == thread) {
        return;
      }
      if (listening != null) {
        try (Connection c = dataSource.getConnection()) {
          AutoCommit.run(c, connection -> {
            try (Statement s = connection.createStatement()) {
              s.execute(notifyStop);
            }
            return null;
          });
        } catch (SQLException | RuntimeException e) {
          log.debug("cannot notify the thread listening on {} to stop", channel, e);
        }
      }
      join(STOP_WAIT);
      Connection c = listening;
      if (thread.isAlive() && c != null) {
        log.debug("the thread listening on {} did not stop within {} ms; aborting its connection",
            channel, STOP_WAIT.toMillis());
        try {
          c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          log.debug("aborting the connection listening on {} failed", channel, e);
        }
      }
      join(JOIN);
      if (thread.isAlive()) {
        log.warn("the thread listening on {} still runs {} s after it was stopped", channel,
            JOIN.toSeconds());
      }
    }

    private void join(Duration wait) {
      try {
        thread.join(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void abortQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      log.debug("aborting a failed listening connection failed", e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      log.debug("closing a listening connection failed", e);
    }
  }

  /** pgjdbc's notification API, reached by reflection. */
  private static final class Api {
    final Class<?> pgConnection;
    final Method getNotifications;
    final Method getPending;
    final Method getParameter;

    private Api(Class<?> pgConnection, Method getNotifications, Method getPending,
        Method getParameter) {
      this.pgConnection = pgConnection;
      this.getNotifications = getNotifications;
      this.getPending = getPending;
      this.getParameter = getParameter;
    }

    /** The API for a connection, if its driver is pgjdbc and the connection unwraps to it. */
    static Optional<Api> find(Connection c) {
      try {
        ClassLoader loader = c.getClass().getClassLoader();
        Class<?> pg = load(PG_CONNECTION, loader);
        Class<?> notification = load(PG_NOTIFICATION, pg.getClassLoader());
        if (!c.isWrapperFor(pg)) {
          return Optional.empty();
        }
        return Optional.of(new Api(pg, pg.getMethod("getNotifications", int.class),
            pg.getMethod("getNotifications"), notification.getMethod("getParameter")));
      } catch (ClassNotFoundException | NoSuchMethodException | SQLException | LinkageError
          | RuntimeException e) {
        return Optional.empty();
      }
    }

    private static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        return Class.forName(name, false, PgNotifications.class.getClassLoader());
      }
    }

    /**
     * Listens on a channel in auto-commit mode (a LISTEN takes effect when it commits); returns
     * the driver's own connection, which the wait and an abort go to.
     */
    Connection listen(Connection c, String channel) throws SQLException {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      Object pg = c.unwrap(pgConnection);
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN \"" + channel + "\"");
      }
      return pg instanceof Connection physical ? physical : c;
    }

    /** Waits up to a time for notifications; returns those received, possibly none. */
    Object[] await(Connection physical, int millis) throws SQLException {
      Object[] received = (Object[]) invoke(getNotifications, physical, millis);
      return received == null ? new Object[0] : received;
    }

    /** Takes the notifications the driver holds, without waiting. */
    void drain(Connection physical) throws SQLException {
      invoke(getPending, physical);
    }

    String payload(Object notification) throws SQLException {
      String payload = (String) invoke(getParameter, notification);
      return payload == null ? "" : payload;
    }

    private static Object invoke(Method method, Object target, Object... args)
        throws SQLException {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql) {
          throw sql;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new SQLException(method.getName() + " failed", cause);
      } catch (IllegalAccessException e) {
        throw new SQLException(method.getName() + " is not accessible", e);
      }
    }
  }
}
