package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Durable throughput: events sent, delivered and recorded per second through the dispatcher on
 * {@link JdbcDeliveryStore} over PostgreSQL, against the same dispatcher on the in-memory store,
 * in the same run, alternating. Database, dispatcher and receiver (a separate JVM) share this
 * machine.
 *
 * <p>A run: {@code --senders} threads send the events at once (each {@code send} commits its
 * event before it returns), the dispatcher delivers them, and the run ends when the last
 * delivery's success has been recorded in the store (the listener hears of a success only once
 * its completion is applied). The store is then pruned, which also proves every delivery was
 * recorded as succeeded: prune deletes only those. Both stores get the same events, senders and
 * caps; the PostgreSQL side uses a HikariCP pool of {@code senders + 4} connections.
 *
 * <p>{@code --sync-commit on} (the default, PostgreSQL's own) waits for the disk at every commit;
 * {@code off} sets {@code synchronous_commit=off} on the store's connections (a crash of the
 * database server, not of the dispatcher, may lose the last commits); {@code both} measures both.
 * {@code --profile} times every JDBC call of the PostgreSQL sides and prints where the time went
 * (it costs some throughput: profile runs are not for the ratios).
 *
 * <p>{@code --lean-indexes} (an experiment) drops, after the store has created its tables, the
 * indexes that only queries and pruning use (deliveries by endpoint, message and state;
 * attempts by event and endpoint; messages by event and creation time), to show what they cost
 * on the delivery path. Pruning is then slow: it is not timed.
 *
 * <p>{@code --scheduler-threads N} (an experiment, not a recommended set-up) gives the
 * PostgreSQL sides' dispatchers a scheduler of N threads instead of their own single thread:
 * attempts' results are then recorded N at a time instead of one after another, which shows what
 * recording completions side by side, or in batches, would be worth. The dispatcher is not
 * documented to keep its caps exact on such a scheduler.
 *
 * <p>{@code --async-commit on} (the default, as {@link JdbcDeliveryStore.Builder#asyncCommit})
 * lets the store's claims and completions commit without waiting for the disk, whatever
 * {@code --sync-commit} says; enqueues follow {@code --sync-commit}. {@code off} makes every
 * commit follow it.
 *
 * <p>{@code --bulk N} has each sender store its events N at a time with {@link
 * dev.hookwire.dispatch.Dispatcher#sendAll} instead of one at a time with {@code send}.
 *
 * <p>{@code --history N} puts N succeeded deliveries with their messages and attempts into each
 * PostgreSQL side's tables before the warm-up ({@link FillHistory}), and keeps them: those sides
 * are then not pruned between runs, and a run is checked by the growth of the succeeded count
 * instead.
 *
 * <p>{@code --memory off} leaves the in-memory side out (for profiling the PostgreSQL side alone).
 *
 * <p>Arguments: {@code --events 20000 --concurrency 64 --senders 4 --body 512 --runs 5 --warmup
 * 20000 --warmup-rounds 2 --sync-commit on|off|both --async-commit on|off --notify on|off --bulk 0 --history 0
 * --memory on|off --profile --scheduler-threads 1 --lean-indexes --pg-url jdbc:postgresql://...}.
 */
public final class Durable {
  private Durable() {}

  /** One side of the comparison. */
  private record Side(String name, DispatchThroughput.Ours ours, TimedDataSource profile,
      double[] rates, double[] enqueueRates, double[] cpu, JdbcDeliveryStore history) {}

  /** Run-wide settings of how events are sent. */
  private static int bulk;

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 20_000);
    int c = a.integer("concurrency", 64);
    int senders = a.integer("senders", 4);
    int bodyBytes = a.integer("body", 512);
    int runs = a.integer("runs", 5);
    int warmup = a.integer("warmup", 20_000);
    int warmupRounds = a.integer("warmup-rounds", 2);
    String syncCommit = a.string("sync-commit", "on");
    boolean profile = a.flag("profile");
    String url = a.string("pg-url", Pg.DEFAULT_URL);
    int schedulerThreads = a.integer("scheduler-threads", 1);
    boolean lean = a.flag("lean-indexes");
    boolean asyncCommit = a.string("async-commit", "on").equals("on");
    boolean notify = a.string("notify", "on").equals("on");
    bulk = a.integer("bulk", 0);
    int history = a.integer("history", 0);
    boolean memorySide = a.string("memory", "on").equals("on");

    System.out.println("# Durable  " + Instant.now());
    System.out.println("# " + Bench.machine());
    String secret = Secrets.newStandardSecret();
    byte[] sampleBody = EventCodec.ofDefaults().encode(Bench.events(1, bodyBytes).get(0));
    System.out.println(Bench.f("# events=%d concurrency=%d senders=%d body=%d B runs=%d warmup=%dx%d"
        + " sync-commit=%s async-commit=%s notify=%s bulk=%d history=%d%s%s", n, c, senders,
        sampleBody.length, runs, warmupRounds, warmup, syncCommit, asyncCommit ? "on" : "off", notify ? "on" : "off", bulk,
        history, (profile ? " PROFILED" : "") + (lean ? " LEAN-INDEXES" : ""),
        schedulerThreads > 1 ? " scheduler-threads=" + schedulerThreads + " (PostgreSQL sides)" : ""));

    List<HikariDataSource> pools = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<Side> sides = new ArrayList<>();
    HikariDataSource admin = Pg.pool(url, 1, "hwbench-admin", true);
    try (ReceiverProcess receiver = ReceiverProcess.start(Receiver.Mode.OK, secret)) {
      // Keeps every succeeded delivery until pruned, as the database does: the prune counts them.
      if (memorySide) {
        sides.add(side("memory", new DispatchThroughput.Ours(receiver.url() + "/memory", secret, c,
            InMemoryDeliveryStore.builder().maxSucceeded(Integer.MAX_VALUE).build()), null, runs));
      }
      for (String sync : syncCommit.equals("both") ? List.of("on", "off") : List.of(syncCommit)) {
        String prefix = Pg.freshPrefix();
        prefixes.add(prefix);
        HikariDataSource pool = Pg.pool(url, senders + 4, "hwbench-durable-" + sync, sync.equals("on"));
        pools.add(pool);
        TimedDataSource timed = profile ? new TimedDataSource(prefix) : null;
        JdbcDeliveryStore store = JdbcDeliveryStore.builder(timed != null ? timed.wrap(pool) : pool)
            .tablePrefix(prefix).asyncCommit(asyncCommit).notifications(notify).build();
        if (lean) {
          Pg.dropQueryIndexes(pool, prefix);
        }
        if (history > 0) {
          long h0 = System.nanoTime();
          FillHistory.fill(pool, prefix, history, bodyBytes, java.time.Duration.ofDays(7));
          System.out.println(Bench.f("# %s: %d deliveries of history in %.0f s", prefix, history,
              (System.nanoTime() - h0) / 1e9));
        }
        sides.add(new Side("pg-sync-" + sync, new DispatchThroughput.Ours(
            receiver.url() + "/pg-" + sync, secret, c, store, schedulerThreads), timed,
            new double[runs], new double[runs], new double[runs], history > 0 ? store : null));
      }
      for (int w = 0; w < warmupRounds; w++) {
        for (Side side : sides) {
          side.ours().run(Bench.events(warmup, bodyBytes), senders, bulk);
          if (side.history() == null) {
            side.ours().prune();
          }
        }
      }
      receiver.reset();
      System.out.println("run  side            deliveries/s  enqueued/s  client-cpu-us  receiver-cpu-us"
          + "  postgres-cpu-us  cpu-not-ours  failures");
      for (int r = 0; r < runs; r++) {
        for (Side side : sides) {
          measure(r, side, Bench.events(n, bodyBytes), senders, receiver, admin);
        }
      }
      double memory = memorySide ? Bench.median(sides.get(0).rates()) : Double.NaN;
      if (memorySide) {
        System.out.println(Bench.f("median in-memory: %.0f deliveries/s (CPU %.1f us per delivery)",
            memory, Bench.median(sides.get(0).cpu())));
      }
      for (Side side : sides.subList(memorySide ? 1 : 0, sides.size())) {
        double rate = Bench.median(side.rates());
        System.out.println(Bench.f("median %s: %.0f deliveries/s (target >= 3000), %.3f x in-memory"
            + " (target >= 0.5); enqueue alone %.0f events/s; CPU %.1f us per delivery", side.name(),
            rate, rate / memory, Bench.median(side.enqueueRates()), Bench.median(side.cpu())));
      }
    } finally {
      for (Side side : sides) {
        side.ours().close();
      }
      for (String prefix : prefixes) {
        Pg.drop(admin, prefix);
      }
      pools.forEach(HikariDataSource::close);
      admin.close();
    }
  }

  private static Side side(String name, DispatchThroughput.Ours ours, TimedDataSource profile, int runs) {
    return new Side(name, ours, profile, new double[runs], new double[runs], new double[runs], null);
  }

  private static void measure(int r, Side side, List<WebhookEvent<Map<String, Object>>> events,
      int senders, ReceiverProcess receiver, HikariDataSource admin) throws Exception {
    int n = events.size();
    System.gc();
    if (side.profile() != null) {
      side.profile().reset();
    }
    long cpu0 = Bench.cpuNanos();
    long rx0 = receiver.cpuNanos();
    long pg0 = Pg.serverCpuNanos(admin, "hwbench-durable");
    long succeeded0 = side.history() == null ? 0 : side.history().count(DeliveryState.SUCCEEDED);
    long busy0 = Bench.machineBusyNanos();
    long t0 = System.nanoTime();
    DispatchThroughput.Ours.Result res = side.ours().run(events, senders, bulk);
    long wall = System.nanoTime() - t0;
    long busy = Bench.machineBusyNanos() - busy0;
    long cpu = Bench.cpuNanos() - cpu0;
    long rx = receiver.cpuNanos() - rx0;
    long pg = Pg.serverCpuNanos(admin, "hwbench-durable") - pg0;
    Map<String, Long> stats = receiver.stats();
    long recorded = side.history() == null ? side.ours().prune()
        : side.history().count(DeliveryState.SUCCEEDED) - succeeded0;
    if (stats.get("distinctAccepted") != n || stats.get("badSignatures") != 0 || recorded != n) {
      throw new IllegalStateException(side.name() + ": receiver saw " + stats + ", store pruned "
          + recorded + " succeeded deliveries of " + n);
    }
    receiver.reset();
    double seconds = (res.endNanos() - res.startNanos()) / 1e9;
    side.rates()[r] = n / seconds;
    side.enqueueRates()[r] = n / ((res.enqueuedNanos() - res.startNanos()) / 1e9);
    side.cpu()[r] = (cpu + rx + pg) / 1e3 / n;
    System.out.println(Bench.f("%3d  %-14s  %12.0f  %10.0f  %13.1f  %15.1f  %15.1f  %11.1f%%  %8d",
        r + 1, side.name(), side.rates()[r], side.enqueueRates()[r], cpu / 1e3 / n, rx / 1e3 / n,
        pg / 1e3 / n, 100 * Bench.foreignShare(busy0 < 0 ? -1 : busy, cpu + rx + pg, wall),
        res.failures()));
    if (side.profile() != null) {
      side.profile().print(System.out, seconds, n);
    }
  }
}
