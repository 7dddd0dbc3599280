package dev.hookwire.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Emit-to-receipt latency at a steady rate. The receiver runs in this JVM so that both ends read
 * the same {@link System#nanoTime()}: an event's time starts at its scheduled send time (not the
 * moment {@code send} was actually called, so a sender that falls behind shows up as latency
 * instead of hiding it) and ends when the receiver has read the request and verified its
 * signature. The dispatcher keeps its defaults (one scheduler thread, 256/32 in flight).
 *
 * <p>{@code --store postgres} puts the dispatcher on {@link JdbcDeliveryStore} over PostgreSQL
 * (tables of a fresh prefix, a HikariCP pool of 8 connections, {@code --sync-commit on|off} as in
 * {@link Durable}): the latency then includes the commit of each {@code send}, the claim and,
 * before the next claim, the completions recorded one by one.
 *
 * <p>{@code --cross-node} (PostgreSQL) sends on one node and delivers on another, in this JVM:
 * node A is a dispatcher that is never started, on a store and pool of its own, so it only
 * stores events; node B, with another store object, another pool and another node id, claims
 * and delivers them. B learns of A's events from PostgreSQL's {@code NOTIFY} with {@code
 * --notify on} (the default), or by polling every {@code --poll-ms} (default 1,000, the
 * dispatcher's default) with {@code --notify off}.
 *
 * <p>Arguments: {@code --rate 1000 --seconds 30 --warmup-seconds 5 --body 512 --store
 * memory|postgres --sync-commit on|off --pg-url jdbc:postgresql://... --cross-node --notify
 * on|off --poll-ms 1000}.
 */
public final class Latency {
  private Latency() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int rate = a.integer("rate", 1000);
    int seconds = a.integer("seconds", 30);
    int warmupSeconds = a.integer("warmup-seconds", 5);
    int bodyBytes = a.integer("body", 512);
    boolean crossNode = a.flag("cross-node");
    boolean postgres = crossNode || a.string("store", "memory").equals("postgres");
    boolean notify = a.string("notify", "on").equals("on");
    int pollMillis = a.integer("poll-ms", 1000);
    boolean syncCommit = a.string("sync-commit", "on").equals("on");
    String url = a.string("pg-url", Pg.DEFAULT_URL);
    double target = postgres ? 50 : 10;
    int warm = rate * warmupSeconds;
    int total = warm + rate * seconds;
    System.out.println("# Latency  " + Instant.now());
    System.out.println("# " + Bench.machine() + ", " + GcPauses.collectors());
    System.out.println(Bench.f("# rate=%d/s measured=%d s warmup=%d s body=%d B, receiver in-process,"
        + " store %s", rate, seconds, warmupSeconds, bodyBytes,
        postgres ? "PostgreSQL, synchronous_commit " + (syncCommit ? "on" : "off") : "in memory"));
    if (crossNode) {
      System.out.println(Bench.f("# across nodes: sent on node A (not started), delivered by node B;"
          + " notifications %s, B polls every %d ms", notify ? "on" : "off", pollMillis));
    }

    List<WebhookEvent<Map<String, Object>>> events = Bench.events(total, bodyBytes);
    Map<String, Integer> seqOf = new ConcurrentHashMap<>(total * 2);
    for (int i = 0; i < total; i++) {
      seqOf.put(events.get(i).id(), i);
    }
    long[] scheduled = new long[total];
    long[] received = new long[total];
    long[] returned = new long[total];
    CountDownLatch all = new CountDownLatch(total);
    String secret = Secrets.newStandardSecret();
    Receiver.AcceptHook hook = (id, nanos) -> {
      Integer seq = seqOf.get(id);
      if (seq != null && received[seq] == 0) {
        received[seq] = nanos;
        all.countDown();
      }
    };
    String prefix = Pg.freshPrefix();
    HikariDataSource pool = postgres ? Pg.pool(url, 8, "hwbench-latency", syncCommit) : null;
    HikariDataSource poolA = crossNode ? Pg.pool(url, 4, "hwbench-latency-a", syncCommit) : null;
    try (Receiver receiver = Receiver.builder(Receiver.Mode.OK, secret).hook(hook).start()) {
      Dispatcher.Builder builder = Dispatcher.builder().networkPolicy(Bench.LOOPBACK);
      if (postgres) {
        builder.store(JdbcDeliveryStore.builder(pool).tablePrefix(prefix).notifications(notify).build());
      }
      if (crossNode) {
        builder.nodeId("node-b").pollInterval(Duration.ofMillis(pollMillis));
      }
      Dispatcher dispatcher = builder.build();
      dispatcher.register(Endpoint.builder(receiver.url() + "/latency")
          .signing(SignatureScheme.standardWebhooks(), secret)
          .verifyOnRegistration(false)
          .build());
      // Node A stores what is sent; never started, it claims nothing and wakes nobody in-process.
      Dispatcher sender = crossNode
          ? Dispatcher.builder().networkPolicy(Bench.LOOPBACK).nodeId("node-a")
              .store(JdbcDeliveryStore.builder(poolA).tablePrefix(prefix).notifications(notify).build())
              .build()
          : dispatcher;
      dispatcher.start();
      GcPauses gc = new GcPauses();
      CpuWatch watch = new CpuWatch();
      long period = 1_000_000_000L / rate;
      long maxLag = 0;
      long start = System.nanoTime() + 10_000_000L;
      for (int i = 0; i < total; i++) {
        long at = start + i * period;
        long now;
        while ((now = System.nanoTime()) < at) {
          LockSupport.parkNanos(at - now);
        }
        maxLag = Math.max(maxLag, now - at);
        scheduled[i] = at;
        if (i == warm) {
          gc.arm();
          watch.start();
        }
        sender.send(events.get(i));
        returned[i] = System.nanoTime();
      }
      Bench.await(all, 60, "every event to arrive");
      gc.disarm();
      double notOurs = watch.notOurs();
      dispatcher.close(Duration.ofSeconds(5));
      if (sender != dispatcher) {
        sender.close(Duration.ZERO);
      }
      if (receiver.badSignatures() != 0) {
        throw new IllegalStateException("bad signatures: " + receiver.badSignatures());
      }
      long[] latency = new long[total - warm];
      for (int i = warm; i < total; i++) {
        latency[i - warm] = received[i] - scheduled[i];
      }
      Arrays.sort(latency);
      long over10 = Arrays.stream(latency).filter(l -> l > 10_000_000L).count();
      System.out.println("events  p50-ms  p90-ms  p99-ms  p99.9-ms  max-ms  over-10ms  sender-max-lag-ms");
      System.out.println(Bench.f("%6d  %6.3f  %6.3f  %6.3f  %8.3f  %6.3f  %9d  %17.3f", latency.length,
          ms(Bench.quantile(latency, 0.50)), ms(Bench.quantile(latency, 0.90)),
          ms(Bench.quantile(latency, 0.99)), ms(Bench.quantile(latency, 0.999)),
          ms(latency[latency.length - 1]), over10, ms(maxLag)));
      System.out.println(Bench.f("p99 %.3f ms (target <= %.0f ms)", ms(Bench.quantile(latency, 0.99)), target));
      if (postgres) {
        // From the return of send (the commit) to receipt: what the claim path adds, without the
        // sender's own waits; across nodes, the notification's trip and node B's claim.
        long[] afterCommit = new long[total - warm];
        for (int i = warm; i < total; i++) {
          afterCommit[i - warm] = Math.max(0, received[i] - returned[i]);
        }
        Arrays.sort(afterCommit);
        System.out.println(Bench.f("from send's return: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms",
            ms(Bench.quantile(afterCommit, 0.50)), ms(Bench.quantile(afterCommit, 0.90)),
            ms(Bench.quantile(afterCommit, 0.99)), ms(afterCommit[afterCommit.length - 1])));
      }
      System.out.println("GC while measuring: " + gc.summary());
      System.out.println(Bench.f("CPU not ours while measuring: %.1f%%", 100 * notOurs));
      if (a.flag("timeline")) {
        // Per second of the measured part: how many over 10 ms, and the worst.
        System.out.println("second  over-10ms  max-ms");
        for (int sec = 0; sec < seconds; sec++) {
          long worst = 0;
          int over = 0;
          for (int i = warm + sec * rate; i < warm + (sec + 1) * rate; i++) {
            long l = received[i] - scheduled[i];
            worst = Math.max(worst, l);
            over += l > 10_000_000L ? 1 : 0;
          }
          System.out.println(Bench.f("%6d  %9d  %6.1f", sec, over, ms(worst)));
        }
      }
    } finally {
      if (poolA != null) {
        poolA.close();
      }
      if (pool != null) {
        Pg.drop(pool, prefix);
        pool.close();
      }
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
