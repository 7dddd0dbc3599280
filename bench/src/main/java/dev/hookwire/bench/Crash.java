package dev.hookwire.bench;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.DeliveryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Dispatcher nodes killed with SIGKILL while they deliver, on PostgreSQL. {@code --nodes} node
 * JVMs deliver from one store to one endpoint on the receiver (a JVM of its own that verifies
 * every signature and notes which node sent each request); the producer sends the events from
 * {@code --senders} threads meanwhile. Every {@code --kill-every-ms} (±50%) a random node is
 * killed, and a new one started in its place, {@code --kills} times; then the run waits until
 * everything is delivered.
 *
 * <p>Checked, and reported: every event sent (its {@code send} returned) was accepted by the
 * receiver (none lost); every delivery is recorded as succeeded with one attempt logged; every
 * delivery accepted more than once was sent, all but the last time, by a node that was then
 * killed; and the repeats charged to each killed node are at most the deliveries it held leased
 * when it died (its deliveries in flight), themselves at most its cap on requests in flight.
 *
 * <p>Arguments: {@code --events 20000 --nodes 2 --kills 6 --kill-every-ms 2000 --concurrency 32
 * --lease-ms 3000 --senders 2 --body 512 --pg-url jdbc:postgresql://...}.
 */
public final class Crash {
  private Crash() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.integer("events", 20_000);
    int nodeCount = a.integer("nodes", 2);
    int kills = a.integer("kills", 6);
    int killEvery = a.integer("kill-every-ms", 2000);
    int c = a.integer("concurrency", 32);
    Duration lease = Duration.ofMillis(a.integer("lease-ms", 3000));
    int senders = a.integer("senders", 2);
    int bodyBytes = a.integer("body", 512);
    System.out.println("# Crash  " + Instant.now());
    System.out.println("# " + Bench.machine());
    System.out.println(Bench.f("# events=%d nodes=%d kills=%d every %d ms (+-50%%) concurrency=%d lease=%d ms"
        + " senders=%d body=%d B", n, nodeCount, kills, killEvery, c, lease.toMillis(), senders, bodyBytes));
    List<WebhookEvent<Map<String, Object>>> events = Bench.events(n, bodyBytes);
    try (Cluster cluster = new Cluster(a.string("pg-url", Pg.DEFAULT_URL), List.of("/crash"), c, lease, senders)) {
      int started = 0;
      for (; started < nodeCount; started++) {
        cluster.start(cluster.prefix + started);
      }
      long t0 = System.nanoTime();
      AtomicReference<Exception> sendFailure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          Bench.sendAll(cluster.producer, events, senders);
        } catch (Exception e) {
          sendFailure.set(e);
        }
      }, "producer");
      producer.start();

      Map<String, Long> inFlightAtKill = new LinkedHashMap<>();
      System.out.println("kill  at-s   node                 delivered-so-far  leased-at-kill");
      for (int k = 0; k < kills; k++) {
        Thread.sleep(ThreadLocalRandom.current().nextLong(killEvery / 2, killEvery * 3L / 2 + 1));
        List<String> live = cluster.live();
        String victim = live.get(ThreadLocalRandom.current().nextInt(live.size()));
        long delivered = cluster.count(DeliveryState.SUCCEEDED);
        long leased = cluster.kill(victim);
        inFlightAtKill.put(victim, leased);
        System.out.println(Bench.f("%4d  %5.1f  %-20s %16d  %14d", k + 1, (System.nanoTime() - t0) / 1e9,
            victim, delivered, leased));
        cluster.start(cluster.prefix + started++);
      }
      producer.join();
      if (sendFailure.get() != null) {
        throw sendFailure.get();
      }
      double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
      cluster.awaitDelivered(n, Duration.ofMinutes(10));
      double wall = (System.nanoTime() - t0) / 1e9;
      cluster.stopAll();

      Map<String, Integer> accepted = cluster.receiver.acceptedById();
      Map<String, List<String>> dups = cluster.receiver.duplicates();
      Map<String, Long> stats = cluster.receiver.stats();
      long lost = 0;
      for (WebhookEvent<?> e : events) {
        if (!accepted.containsKey("/crash " + e.id())) {
          lost++;
        }
      }
      long extra = 0;
      long notAfterKill = 0;
      Map<String, Long> repeatsByNode = new LinkedHashMap<>();
      for (List<String> nodes : dups.values()) {
        extra += nodes.size() - 1;
        for (String node : nodes.subList(0, nodes.size() - 1)) {
          if (!inFlightAtKill.containsKey(node)) {
            notAfterKill++;
          }
          repeatsByNode.merge(node, 1L, Long::sum);
        }
      }
      List<String> overBound = new ArrayList<>();
      repeatsByNode.forEach((node, repeats) -> {
        Long leased = inFlightAtKill.get(node);
        if (leased == null || repeats > leased || repeats > c) {
          overBound.add(node + " repeated " + repeats + ", held " + leased);
        }
      });
      long succeeded = cluster.count(DeliveryState.SUCCEEDED);
      long attempts = cluster.attempts();
      Set<String> killedNodes = new HashSet<>(inFlightAtKill.keySet());

      System.out.println(Bench.f("wall time %.1f s (sending ended at %.1f s), %.0f deliveries/s overall",
          wall, enqueueSeconds, n / wall));
      System.out.println(Bench.f("events sent %d; accepted by the receiver %d distinct, %d in all; bad signatures %d",
          n, accepted.size(), stats.get("accepted"), stats.get("badSignatures")));
      System.out.println(Bench.f("lost (sent, never accepted): %d", lost));
      System.out.println(Bench.f("recorded: %d succeeded, %d pending, %d dead; %d attempts logged",
          succeeded, cluster.count(DeliveryState.PENDING), cluster.count(DeliveryState.DEAD), attempts));
      System.out.println(Bench.f("repeats: %d deliveries accepted more than once, %d extra acceptances;"
          + " %d sent earlier by a node that was not killed", dups.size(), extra, notAfterKill));
      System.out.println("per killed node: leased at the kill / repeats charged to it (bound: leased <= "
          + c + ")");
      for (String node : killedNodes.stream().sorted().toList()) {
        System.out.println(Bench.f("  %-20s %4d / %4d", node, inFlightAtKill.get(node),
            repeatsByNode.getOrDefault(node, 0L)));
      }
      System.out.println("accepted per node: " + cluster.receiver.acceptedByNode());
      boolean ok = lost == 0 && stats.get("badSignatures") == 0 && notAfterKill == 0
          && overBound.isEmpty() && succeeded == n && attempts == n;
      System.out.println(ok
          ? "OK: none lost, every delivery recorded once, repeats only of what killed nodes had in flight"
          : "FAILED: " + overBound);
      if (!ok) {
        System.exit(1);
      }
    }
  }
}
