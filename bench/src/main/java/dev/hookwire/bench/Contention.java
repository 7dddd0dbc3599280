package dev.hookwire.bench;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.DeliveryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dispatcher nodes contending for one PostgreSQL store, nothing failing: {@code --nodes} node
 * JVMs deliver {@code --events} events to each of {@code --endpoints} endpoints on the receiver
 * (a JVM of its own that verifies every signature and notes which node sent each request). The
 * nodes are started first; the producer then sends from {@code --senders} threads.
 *
 * <p>Checked, and reported: every delivery accepted exactly once (no repeats, none lost),
 * recorded as succeeded with one attempt logged; how the work was shared among the nodes; and
 * the throughput of them all, from the first send to the last delivery recorded, with the CPU
 * time per delivery of the nodes, the receiver and the database server.
 *
 * <p>Arguments: {@code --events 10000 --endpoints 2 --nodes 3 --concurrency 32 --senders 2
 * --body 512 --warmup 0 --notify on|off --pg-url jdbc:postgresql://...}; {@code --warmup N} first sends N events
 * and waits for their delivery, so that the nodes' JVMs have compiled the hot code before the
 * measured part.
 */
public final class Contention {
  private Contention() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 10_000);
    int endpoints = a.integer("endpoints", 2);
    int nodeCount = a.integer("nodes", 3);
    int c = a.integer("concurrency", 32);
    int senders = a.integer("senders", 2);
    int bodyBytes = a.integer("body", 512);
    int warmup = a.integer("warmup", 0);
    boolean notify = a.string("notify", "on").equals("on");
    System.out.println("# Contention  " + Instant.now());
    System.out.println("# " + Bench.machine());
    System.out.println(Bench.f("# events=%d endpoints=%d nodes=%d concurrency=%d senders=%d body=%d B"
        + " warmup=%d notify=%s", n, endpoints, nodeCount, c, senders, bodyBytes, warmup,
        notify ? "on" : "off"));
    List<String> paths = new ArrayList<>();
    for (int e = 0; e < endpoints; e++) {
      paths.add("/e" + e);
    }
    long deliveries = (long) n * endpoints;
    List<WebhookEvent<Map<String, Object>>> events = Bench.events(n, bodyBytes);
    try (Cluster cluster = new Cluster(a.string("pg-url", Pg.DEFAULT_URL), paths, c,
        Duration.ofSeconds(30), senders, notify)) {
      for (int i = 0; i < nodeCount; i++) {
        cluster.start(cluster.prefix + i);
      }
      // Warm-up: every node JVM compiles the same code; without it, more nodes mostly measure
      // more compiling. Its deliveries stay in the tables and are subtracted below.
      if (warmup > 0) {
        Bench.sendAll(cluster.producer, Bench.events(warmup, bodyBytes), senders);
        cluster.awaitDelivered((long) warmup * endpoints, Duration.ofMinutes(10));
        cluster.receiver.reset();
      }
      long succeeded0 = cluster.count(DeliveryState.SUCCEEDED);
      long attempts0 = cluster.attempts();
      long busy0 = Bench.machineBusyNanos();
      long own0 = Bench.cpuNanos();
      long nodes0 = cluster.cpuNanosOfNodes();
      long rx0 = cluster.receiver.cpuNanos();
      long pg0 = cluster.serverCpuNanos();
      long t0 = System.nanoTime();
      Bench.sendAll(cluster.producer, events, senders);
      double enqueued = (System.nanoTime() - t0) / 1e9;
      cluster.awaitDelivered(succeeded0 + deliveries, deliveries, Duration.ofMinutes(10));
      double wall = (System.nanoTime() - t0) / 1e9;
      long nodesCpu = cluster.cpuNanosOfNodes() - nodes0;
      long rxCpu = cluster.receiver.cpuNanos() - rx0;
      long pgCpu = cluster.serverCpuNanos() - pg0;
      long ownCpu = Bench.cpuNanos() - own0;
      long busy = Bench.machineBusyNanos() - busy0;
      double notOurs = Bench.foreignShare(busy0 < 0 ? -1 : busy, ownCpu + nodesCpu + rxCpu + pgCpu,
          System.nanoTime() - t0);
      cluster.stopAll();

      Map<String, Integer> accepted = cluster.receiver.acceptedById();
      Map<String, Long> stats = cluster.receiver.stats();
      long lost = 0;
      for (String path : paths) {
        for (WebhookEvent<?> e : events) {
          if (!accepted.containsKey(path + " " + e.id())) {
            lost++;
          }
        }
      }
      long repeated = accepted.values().stream().filter(k -> k > 1).count();
      long succeeded = cluster.count(DeliveryState.SUCCEEDED) - succeeded0;
      long attempts = cluster.attempts() - attempts0;
      Map<String, Long> byNode = cluster.receiver.acceptedByNode();
      System.out.println(Bench.f("wall time %.1f s (sending ended at %.1f s): %.0f deliveries/s by %s",
          wall, enqueued, deliveries / wall, nodeCount == 1 ? "one node" : nodeCount + " nodes"));
      System.out.println(Bench.f("CPU per delivery: nodes %.1f us, receiver %.1f us, database server %.1f us,"
          + " producer %.1f us; cpu-not-ours %.1f%%", nodesCpu / 1e3 / deliveries, rxCpu / 1e3 / deliveries,
          pgCpu / 1e3 / deliveries, ownCpu / 1e3 / deliveries, 100 * notOurs));
      System.out.println(Bench.f("deliveries %d; accepted %d distinct, %d in all; repeated %d; lost %d;"
          + " bad signatures %d", deliveries, accepted.size(), stats.get("accepted"), repeated, lost,
          stats.get("badSignatures")));
      System.out.println(Bench.f("recorded: %d succeeded, %d attempts logged", succeeded, attempts));
      System.out.println("accepted per node: " + byNode);
      boolean shared = byNode.size() == nodeCount && byNode.values().stream().allMatch(v -> v > 0);
      boolean ok = lost == 0 && repeated == 0 && stats.get("accepted") == deliveries
          && stats.get("badSignatures") == 0 && succeeded == deliveries && attempts == deliveries && shared;
      System.out.println(!ok ? "FAILED" : nodeCount == 1 ? "OK: every delivery exactly once (one node: nothing shared)"
          : "OK: every delivery exactly once, the work shared by all " + nodeCount + " nodes");
      if (!ok) {
        System.exit(1);
      }
    }
  }
}
