package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * How long an endpoint change made on one node takes to reach another, on PostgreSQL. Two
 * dispatchers in this JVM, A and B, each with its own {@link JdbcDeliveryStore} and its own
 * connection pool on the tables of a fresh prefix, both started, on the system clock. A makes
 * {@code --changes} changes, alternately: it registers a new endpoint subscribed to a type of its
 * own, then, after a while, disables it (and deletes it, unmeasured). A thread calls {@code
 * B.send} every {@code --poll-ms} throughout. From the moment A is asked to make a change, it
 * sends events of the type the change concerns, until B's receipt reflects the change: a delivery
 * for the registered endpoint, none for the disabled one. That is when B first acts on the change
 * in its fan-out. The figures run from the start of A's call to the return of that send, and
 * again from the return of A's call (by then the change is committed; B may have seen it
 * earlier, while A reloaded its own view).
 *
 * <p>Before each change the run waits a random time up to {@code --max-wait-ms}, so that changes
 * land at random moments of B's refresh cycle. B checks the store's endpoint revision when its
 * view is older than {@code --refresh-ms} (the dispatcher's default of 1 s unless given), so each
 * figure is at most that interval, plus one revision read and reload, plus A's write, plus a poll
 * period; uniform phases put the median near half the interval.
 *
 * <p>Nothing but the first matching send of each registration writes a delivery: before a
 * registration reaches B nothing matches (no write), and while a disabled endpoint still matches
 * on B, the probe sends through {@link Dispatcher#send(Connection, WebhookEvent)} in a transaction
 * that is rolled back: the same fan-out against B's view, nothing stored. The run checks that the
 * store ends with exactly one delivery per registration. The endpoints point at the receiver (a
 * JVM of its own), which the nodes deliver those few deliveries to.
 *
 * <p>Arguments: {@code --changes 200 --refresh-ms 1000 --poll-ms 1 --max-wait-ms 1000 --warmup 4
 * --pg-url jdbc:postgresql://...}.
 */
public final class Propagation {
  private static volatile boolean running;

  private Propagation() {}

  /** What the probe thread is waiting for B to show; it records the first send that shows it. */
  private static final class Probe {
    final String type;
    final boolean wantDelivery;
    final CountDownLatch seen = new CountDownLatch(1);
    volatile long seenAt;
    long polls;

    Probe(String type, boolean wantDelivery) {
      this.type = type;
      this.wantDelivery = wantDelivery;
    }
  }

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int changes = a.integer("changes", 200);
    int warmup = a.integer("warmup", 4);
    Integer refreshMs = a.string("refresh-ms", null) == null ? null : a.integer("refresh-ms", 1000);
    long pollNanos = TimeUnit.MILLISECONDS.toNanos(a.integer("poll-ms", 1));
    int maxWaitMs = a.integer("max-wait-ms", 1000);
    String url = a.string("pg-url", Pg.DEFAULT_URL);
    if (changes < 2 || changes % 2 != 0 || warmup % 2 != 0) {
      throw new IllegalArgumentException("--changes and --warmup must be even: each registration is followed by a disable");
    }
    System.out.println("# Propagation  " + Instant.now());
    System.out.println("# " + Bench.machine());
    System.out.println(Bench.f("# changes=%d (%d registrations, %d disables) after %d warm-up changes;"
            + " endpointRefresh=%s; poll every %d ms; random wait 0-%d ms before each change",
        changes, changes / 2, changes / 2, warmup,
        refreshMs == null ? "default (1000 ms)" : refreshMs + " ms", pollNanos / 1_000_000, maxWaitMs));

    String prefix = Pg.freshPrefix();
    String secret = Secrets.newStandardSecret();
    try (ReceiverProcess receiver = ReceiverProcess.start(Receiver.Mode.OK, secret);
        HikariDataSource poolA = Pg.pool(url, 4, "hwbench-propagation-a", true);
        HikariDataSource poolB = Pg.pool(url, 5, "hwbench-propagation-b", true)) {
      Dispatcher nodeA = node(poolA, prefix, "node-a", refreshMs);
      Dispatcher nodeB = node(poolB, prefix, "node-b", refreshMs);
      AtomicReference<Probe> probe = new AtomicReference<>();
      AtomicReference<Throwable> probeFailure = new AtomicReference<>();
      LongAdder probeWrites = new LongAdder();
      running = true;
      Thread poller = new Thread(() -> {
        try {
          poll(nodeB, poolB, probe, pollNanos, probeWrites);
        } catch (Throwable e) {
          probeFailure.set(e);
        }
      }, "probe");
      poller.setDaemon(true);
      poller.start();

      long[] registered = new long[changes / 2];
      long[] disabled = new long[changes / 2];
      long[] registeredAfterCall = new long[changes / 2];
      long[] disabledAfterCall = new long[changes / 2];
      long[] callA = new long[changes];
      long polls = 0;
      long polledNanos = 0;
      double notOurs;
      long stored;
      try {
        ServerCpuWatch cpu = new ServerCpuWatch(receiver, poolA);
        for (int i = 0; i < warmup + changes; i++) {
          boolean register = i % 2 == 0;
          String id = "propagation-" + (i / 2);
          if (i == warmup) {
            cpu.start();
          }
          Thread.sleep(ThreadLocalRandom.current().nextLong(maxWaitMs + 1));
          Probe p = new Probe("propagation.p" + (i / 2), register);
          probe.set(p);
          long t0 = System.nanoTime();
          if (register) {
            nodeA.register(Endpoint.builder(receiver.url() + "/" + id)
                .id(id)
                .subscribe(p.type)
                .signing(SignatureScheme.standardWebhooks(), secret)
                .verifyOnRegistration(false)
                .build());
          } else {
            nodeA.disable(id);
          }
          long returned = System.nanoTime();
          if (!p.seen.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("B did not reflect change " + i + " within 60 s", probeFailure.get());
          }
          if (!register) {
            nodeA.delete(id);
          }
          if (i >= warmup) {
            int k = i - warmup;
            (register ? registered : disabled)[k / 2] = p.seenAt - t0;
          (register ? registeredAfterCall : disabledAfterCall)[k / 2] = p.seenAt - returned;
            callA[k] = returned - t0;
            polls += p.polls;
            polledNanos += p.seenAt - t0;
          }
        }
        notOurs = cpu.notOurs();
        running = false;
        poller.join();
        if (probeFailure.get() != null) {
          throw new IllegalStateException("probe failed", probeFailure.get());
        }
        stored = nodeA.count(DeliveryState.PENDING) + nodeA.count(DeliveryState.SUCCEEDED)
            + nodeA.count(DeliveryState.DEAD);
      } finally {
        running = false;
        nodeA.close(Duration.ofSeconds(5));
        nodeB.close(Duration.ofSeconds(5));
      }
      Map<String, Long> stats = receiver.stats();

      System.out.println("from the start of A's call:");
      System.out.println("change        n   p50-ms   p99-ms   max-ms   min-ms");
      print("registration", registered);
      print("disable", disabled);
      System.out.println("from the return of A's call (the change committed; negative: B saw it first):");
      print("registration", registeredAfterCall);
      print("disable", disabledAfterCall);
      Arrays.sort(callA);
      System.out.println(Bench.f("A's call (register or disable: committed, and A's own view reloaded):"
          + " p50 %.1f ms, max %.1f ms", ms(Bench.quantile(callA, 0.5)), ms(callA[callA.length - 1])));
      System.out.println(Bench.f("probe: %d sends while changes were pending, one every %.2f ms on average",
          polls, polledNanos / 1e6 / Math.max(1, polls)));
      int registrations = (warmup + changes) / 2;
      System.out.println(Bench.f("deliveries stored: %d (expected one per registration: %d); probe sends"
          + " that stored one: %d; receiver accepted %d, bad signatures %d", stored, registrations,
          probeWrites.sum(), stats.get("accepted"), stats.get("badSignatures")));
      System.out.println(Bench.f("cpu-not-ours %.1f%%", 100 * notOurs));
      boolean ok = stored == registrations && probeWrites.sum() == registrations
          && stats.get("badSignatures") == 0;
      System.out.println(ok ? "OK: every change reached B; the probe stored one delivery per registration"
          : "FAILED");
      if (!ok) {
        System.exit(1);
      }
    } finally {
      try (HikariDataSource pool = Pg.pool(url, 1, "hwbench-propagation-drop", true)) {
        Pg.drop(pool, prefix);
      }
    }
  }

  private static Dispatcher node(HikariDataSource pool, String prefix, String nodeId, Integer refreshMs) {
    Dispatcher.Builder b = Dispatcher.builder()
        .store(JdbcDeliveryStore.builder(pool).tablePrefix(prefix).build())
        .networkPolicy(Bench.LOOPBACK)
        .nodeId(nodeId);
    if (refreshMs != null) {
      b.endpointRefresh(Duration.ofMillis(refreshMs));
    }
    return b.build().start();
  }

  /**
   * The probe thread: calls {@code B.send} every poll period. With no change pending it sends an
   * event of a type nothing subscribes to, which keeps B's view checked as a node's traffic
   * would and writes nothing.
   */
  private static void poll(Dispatcher b, HikariDataSource poolB, AtomicReference<Probe> probe,
      long pollNanos, LongAdder written) throws SQLException {
    while (running) {
      Probe p = probe.get();
      if (p == null) {
        b.send(WebhookEvent.create("propagation.idle", Map.of("idle", true)));
      } else {
        WebhookEvent<Map<String, Object>> event = WebhookEvent.create(p.type, Map.of("probe", true));
        boolean delivery;
        if (p.wantDelivery) {
          SendReceipt receipt = b.send(event);
          delivery = !receipt.deliveryIds().isEmpty();
          if (delivery) {
            written.increment();
          }
        } else {
          // The disabled endpoint still matches until B sees the change: fan out in a transaction
          // that is rolled back, so that none of these sends stores a delivery.
          try (Connection c = poolB.getConnection()) {
            c.setAutoCommit(false);
            try {
              delivery = !b.send(c, event).deliveryIds().isEmpty();
            } finally {
              c.rollback();
            }
          }
        }
        long now = System.nanoTime();
        p.polls++;
        if (delivery == p.wantDelivery) {
          p.seenAt = now;
          probe.compareAndSet(p, null);
          p.seen.countDown();
        }
      }
      LockSupport.parkNanos(pollNanos);
    }
  }

  private static void print(String kind, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.println(Bench.f("%-12s %4d %8.1f %8.1f %8.1f %8.1f", kind, sorted.length,
        ms(Bench.quantile(sorted, 0.50)), ms(Bench.quantile(sorted, 0.99)),
        ms(sorted[sorted.length - 1]), ms(sorted[0])));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** The machine's busy CPU not spent by this JVM, the receiver or the database server. */
  private static final class ServerCpuWatch {
    private final ReceiverProcess receiver;
    private final HikariDataSource pool;
    private long busy0;
    private long own0;
    private long wall0;

    ServerCpuWatch(ReceiverProcess receiver, HikariDataSource pool) {
      this.receiver = receiver;
      this.pool = pool;
    }

    void start() throws SQLException {
      busy0 = Bench.machineBusyNanos();
      own0 = own();
      wall0 = System.nanoTime();
    }

    double notOurs() throws SQLException {
      long busy = Bench.machineBusyNanos();
      return Bench.foreignShare(busy0 < 0 ? -1 : busy - busy0, own() - own0, System.nanoTime() - wall0);
    }

    private long own() throws SQLException {
      return Bench.cpuNanos() + receiver.cpuNanos() + Pg.serverCpuNanos(pool, "hwbench-propagation");
    }
  }
}
